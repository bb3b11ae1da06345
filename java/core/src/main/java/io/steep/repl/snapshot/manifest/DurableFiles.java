package io.steep.repl.snapshot.manifest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Makes a finished file survive a crash: fsync its content, rename it into place, fsync the
 * directory so the rename itself is durable. A reader never sees a half-written file under
 * its final name.
 */
public final class DurableFiles {
    private DurableFiles() {
    }

    /** fsyncs {@code tmp}, renames it to {@code target} atomically and fsyncs the directory. */
    public static void publish(Path tmp, Path target) throws IOException {
        fsync(tmp);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fsyncDirectory(target.toAbsolutePath().getParent());
    }

    /**
     * Renames {@code tmp} to {@code target} atomically, leaving both fsyncs to the caller: for
     * files that count only once a later file (the manifest) is durably in place.
     */
    public static void rename(Path tmp, Path target) throws IOException {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public static void fsync(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /** On Linux a directory opened read-only can be fsynced; that persists its entries. */
    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /**
     * Opens {@code tmp} as a new file: a leftover of that name goes first, and the file is then
     * created exclusively ({@code O_CREAT|O_EXCL}), so a link planted under the name is never
     * followed.
     */
    public static OutputStream createNew(Path tmp) throws IOException {
        Files.deleteIfExists(tmp);
        return Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    /** The temporary name a file has while it is written. */
    public static Path tmpOf(Path target) {
        return target.resolveSibling(target.getFileName() + SnapshotLayout.TMP_SUFFIX);
    }
}
