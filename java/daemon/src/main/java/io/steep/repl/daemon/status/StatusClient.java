package io.steep.repl.daemon.status;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the status document a running daemon writes on its status socket. */
public final class StatusClient {
    private StatusClient() {
    }

    /** The document's JSON text; a {@link ErrorCode#CONNECTION} failure when no daemon answers. */
    public static String read(Path socket) {
        if (!Files.exists(socket)) {
            throw notRunning(socket, "no socket " + socket);
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            try (InputStream in = Channels.newInputStream(channel)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            }
        } catch (AccessDeniedException e) {
            throw new SteepReplException(ErrorCode.CONNECTION, "permission denied on " + socket,
                    "The status socket is the daemon's OS user's only: run as that user (or root).");
        } catch (IOException e) {
            String reason = e.getMessage() != null && e.getMessage().contains("ermission")
                    ? "permission denied on " + socket : "no daemon answers on " + socket + " (" + e.getMessage() + ")";
            throw notRunning(socket, reason);
        }
    }

    private static SteepReplException notRunning(Path socket, String reason) {
        return new SteepReplException(ErrorCode.CONNECTION, reason,
                "Is the daemon running (systemctl status steep-repl-daemon)? Its socket is the config key socket; "
                        + "give the same path with --socket.");
    }
}
