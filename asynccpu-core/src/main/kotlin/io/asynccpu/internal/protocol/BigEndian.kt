package io.asynccpu.internal.protocol

/** The protocol's integers are big-endian (network order); every read and write of one goes through here. */
internal object BigEndian {
    fun putShort(b: ByteArray, at: Int, v: Int) {
        b[at] = (v ushr 8).toByte()
        b[at + 1] = v.toByte()
    }

    fun putInt(b: ByteArray, at: Int, v: Int) {
        b[at] = (v ushr 24).toByte()
        b[at + 1] = (v ushr 16).toByte()
        b[at + 2] = (v ushr 8).toByte()
        b[at + 3] = v.toByte()
    }

    fun putLong(b: ByteArray, at: Int, v: Long) {
        putInt(b, at, (v ushr 32).toInt())
        putInt(b, at + 4, v.toInt())
    }

    fun readUnsignedShort(b: ByteArray, at: Int): Int = ((b[at].toInt() and 0xFF) shl 8) or (b[at + 1].toInt() and 0xFF)

    fun readInt(b: ByteArray, at: Int): Int =
        ((b[at].toInt() and 0xFF) shl 24) or
            ((b[at + 1].toInt() and 0xFF) shl 16) or
            ((b[at + 2].toInt() and 0xFF) shl 8) or
            (b[at + 3].toInt() and 0xFF)

    fun readUnsignedInt(b: ByteArray, at: Int): Long = readInt(b, at).toLong() and 0xFFFFFFFFL

    fun readLong(b: ByteArray, at: Int): Long = (readInt(b, at).toLong() shl 32) or readUnsignedInt(b, at + 4)
}
