package io.steep.repl.remote;

import java.nio.file.Path;

/**
 * How the CLI reaches a daemon: its address and, for TLS, the CA that signed the daemon's
 * certificate and the client's own certificate and key (mTLS). TLS is used when a CA or a
 * client certificate is given; a daemon on the loopback address may serve plaintext.
 *
 * @param token bearer token the daemon asks for, or null; never printed
 */
public record RemoteOptions(DaemonAddress address, Path ca, Path cert, Path key, String token) {

    public boolean tls() {
        return ca != null || cert != null;
    }

    @Override
    public String toString() {
        return address + (tls() ? " (TLS" + (cert != null ? ", client certificate" : "") + ")" : " (plaintext)")
                + (token != null ? " with a token" : "");
    }
}
