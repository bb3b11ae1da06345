package io.steep.repl.daemon.status;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Supplier;

/**
 * The local status socket: a Unix-domain socket, mode 0600 in a directory the daemon creates
 * with mode 0700, that writes one JSON status document to each client and closes. Only the
 * daemon's OS user (and root) can connect, so the document may name the PostgreSQL target.
 */
public final class StatusSocket implements AutoCloseable {
    private final Path path;
    private final ServerSocketChannel channel;
    private final Thread acceptor;

    private StatusSocket(Path path, ServerSocketChannel channel, Supplier<String> document) {
        this.path = path;
        this.channel = channel;
        this.acceptor = new Thread(() -> serve(document), "steep-repl-status");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Creates the socket's directory if needed, replaces a stale socket, binds and serves. */
    public static StatusSocket open(Path path, Supplier<String> document) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        if (Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            if (Files.isRegularFile(path, java.nio.file.LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(path)) {
                throw new SteepReplException(ErrorCode.USAGE, "socket: " + path + " exists and is not a socket",
                        "Give socket another path, or remove that file.");
            }
            if (answers(path)) {
                throw new SteepReplException(ErrorCode.ERROR, "socket: another daemon answers on " + path,
                        "Stop it first (steep-repl daemon status --socket " + path + " shows it), or give socket another path.");
            }
            Files.delete(path); // left by a daemon that was killed
        }
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return new StatusSocket(path, channel, document);
    }

    public Path path() {
        return path;
    }

    private static boolean answers(Path path) {
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return probe.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    private void serve(Supplier<String> document) {
        while (channel.isOpen()) {
            try (SocketChannel client = channel.accept()) {
                ByteBuffer bytes = ByteBuffer.wrap((document.get() + "\n").getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    client.write(bytes);
                }
            } catch (IOException e) {
                if (!channel.isOpen()) {
                    return; // closed by close()
                }
                // a client that went away: serve the next one
            }
        }
    }

    /** Stops serving and removes the socket file. */
    @Override
    public void close() throws IOException {
        channel.close();
        Files.deleteIfExists(path);
    }
}
