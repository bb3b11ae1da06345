package io.steep.repl.snapshot.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one way to read a file of a snapshot directory (docs/security.md, "Snapshot files"): its
 * name is relative without {@code .} or {@code ..} components, every component below the
 * directory is opened without following symlinks ({@code openat} with {@code O_NOFOLLOW}, one
 * directory at a time, so a component swapped for a link after the check is not followed
 * either), and the file must be a regular file. The worker runs as the server's OS user and
 * can read what no database role may; a link planted in a snapshot directory must not hand
 * that over. Errors name the file, never its content.
 */
public final class SnapshotFiles {
    /** Relative, forward slashes, no empty, {@code .} or {@code ..} component. */
    private static final Pattern SAFE_NAME = Pattern.compile("^(?!/)(?:(?!\\.{1,2}/)[^/\\x00]+/)*(?!\\.{1,2}$)[^/\\x00]+$");

    /** A name that resolves outside the directory, a symlink, or anything but a regular file or directory. */
    public static final class UnsafeFileException extends FileSystemException {
        private static final long serialVersionUID = 1L;

        UnsafeFileException(String name, String problem) {
            super(name, null, problem + "; snapshot files are read only as regular files inside the snapshot "
                    + "directory, never through a symbolic link");
        }
    }

    private SnapshotFiles() {
    }

    /** Whether {@code name} is a relative path that stays inside the snapshot directory. */
    public static boolean isSafeName(String name) {
        return name != null && SAFE_NAME.matcher(name).matches();
    }

    /**
     * Opens {@code name} inside {@code dir} for reading.
     *
     * @throws NoSuchFileException  when it does not exist
     * @throws UnsafeFileException  when it, or a directory on its way, is a symlink or not a
     *                              regular file (directory), or the name leaves {@code dir}
     */
    public static SeekableByteChannel open(Path dir, String name) throws IOException {
        String[] parts = components(name);
        Deque<DirectoryStream<Path>> opened = new ArrayDeque<>();
        try {
            DirectoryStream<Path> top = Files.newDirectoryStream(dir);
            opened.push(top);
            if (!(top instanceof SecureDirectoryStream<Path> current)) {
                // Without openat (not Linux): checked by name, then opened without following a last link.
                return Files.newByteChannel(checked(dir, name), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
            }
            for (int i = 0; i < parts.length - 1; i++) {
                Path part = Path.of(parts[i]);
                require(current.getFileAttributeView(part, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .readAttributes(), true, name);
                current = current.newDirectoryStream(part, LinkOption.NOFOLLOW_LINKS);
                opened.push(current);
            }
            Path last = Path.of(parts[parts.length - 1]);
            require(current.getFileAttributeView(last, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .readAttributes(), false, name);
            return current.newByteChannel(last, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
        } catch (FileSystemException e) {
            throw e instanceof NoSuchFileException || e instanceof UnsafeFileException ? e : loop(e, name);
        } finally {
            for (DirectoryStream<Path> stream : opened) {
                stream.close();
            }
        }
    }

    public static InputStream newInputStream(Path dir, String name) throws IOException {
        return Channels.newInputStream(open(dir, name));
    }

    public static byte[] readAllBytes(Path dir, String name) throws IOException {
        try (InputStream in = newInputStream(dir, name)) {
            return in.readAllBytes();
        }
    }

    /**
     * The path of {@code name} inside {@code dir}, checked now by the same rule, for a reader
     * that opens it by name itself (the server's {@code COPY ... FROM '<file>'}). Between this
     * check and that open the file could be swapped; such readers are used only for roles that
     * may read server files anyway (docs/security.md).
     */
    public static Path checked(Path dir, String name) throws IOException {
        String[] parts = components(name);
        Path at = dir;
        for (int i = 0; i < parts.length; i++) {
            at = at.resolve(parts[i]);
            require(Files.readAttributes(at, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS),
                    i < parts.length - 1, name);
        }
        return at;
    }

    private static String[] components(String name) throws UnsafeFileException {
        if (!isSafeName(name)) {
            throw new UnsafeFileException(String.valueOf(name), "not a relative path inside the snapshot directory");
        }
        return name.split("/");
    }

    private static void require(BasicFileAttributes attributes, boolean directory, String name)
            throws UnsafeFileException {
        if (attributes.isSymbolicLink()) {
            throw new UnsafeFileException(name, directory ? "a directory on its path is a symbolic link"
                    : "it is a symbolic link");
        }
        if (directory ? !attributes.isDirectory() : !attributes.isRegularFile()) {
            throw new UnsafeFileException(name, directory ? "a component of its path is not a directory"
                    : "it is not a regular file");
        }
    }

    /** A component swapped for a link between the check and the open fails the open (ELOOP). */
    private static FileSystemException loop(FileSystemException e, String name) {
        String reason = e.getReason();
        if (reason != null && reason.contains("symbolic link")) {
            return new UnsafeFileException(name, "it, or a directory on its path, became a symbolic link");
        }
        return e;
    }
}
