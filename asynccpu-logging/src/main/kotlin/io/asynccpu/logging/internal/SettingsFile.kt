package io.asynccpu.logging.internal

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption
import java.nio.file.attribute.PosixFilePermissions

/**
 * The file a worker reads its [WireSettings] from when it starts, named on its command line.
 *
 * A file rather than a command-line value, because the levels can change on a live pool after the
 * worker command line is fixed: the parent rewrites the file (atomically, by rename) on every change,
 * so a worker started later begins with the current levels before its first task. Readable by this
 * user only; deleted when the caller's JVM exits.
 */
internal object SettingsFile {
    fun create(settings: WireSettings): Path {
        val path = Files.createTempFile("asynccpu-logging-", ".cbor", ownerOnly())
        path.toFile().deleteOnExit()
        write(path, settings)
        return path
    }

    fun write(path: Path, settings: WireSettings) {
        val temporary = Files.createTempFile(path.parent, "asynccpu-logging-", ".tmp", ownerOnly())
        try {
            Files.write(temporary, LogCbor.encodeToByteArray(WireSettings.serializer(), settings))
            Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE)
        } finally {
            Files.deleteIfExists(temporary)
        }
    }

    fun read(path: Path): WireSettings = LogCbor.decodeFromByteArray(WireSettings.serializer(), Files.readAllBytes(path))

    private fun ownerOnly() = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
}
