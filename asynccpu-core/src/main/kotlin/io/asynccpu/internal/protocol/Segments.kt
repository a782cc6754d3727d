package io.asynccpu.internal.protocol

/**
 * The out-of-band byte arrays of a frame (layout in [Protocol], "Out-of-band byte arrays"): [arrays] stand for the byte
 * arrays of the CBOR body whose ordinals are [ordinals] (strictly increasing). The arrays are not copied: a writer
 * sends the caller's own arrays, and a reader hands on the arrays it read.
 */
internal class Segments(val ordinals: IntArray, val arrays: Array<ByteArray>) {
    init {
        require(ordinals.size == arrays.size && arrays.isNotEmpty()) { "segments: ${ordinals.size} / ${arrays.size}" }
    }

    val count: Int
        get() = arrays.size

    /** Bytes these segments add to a payload: the segment table and the arrays. */
    val wireSize: Long = Protocol.segmentTableSize(arrays.size) + arrays.sumOf { it.size.toLong() }

    /** The segment table as it goes on the wire. */
    fun table(): ByteArray {
        val table = ByteArray(Protocol.segmentTableSize(count).toInt())
        BigEndian.putInt(table, 0, count)
        for (i in 0 until count) {
            BigEndian.putInt(table, 4 + 8 * i, ordinals[i])
            BigEndian.putInt(table, 8 + 8 * i, arrays[i].size)
        }
        return table
    }

    override fun toString(): String = "Segments($count, ${wireSize}B)"
}
