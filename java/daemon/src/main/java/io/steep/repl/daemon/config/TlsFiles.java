package io.steep.repl.daemon.config;

import java.nio.file.Path;

/**
 * The server's certificate chain and private key (PEM), and, for mTLS, the CA whose
 * certificates clients must present.
 *
 * @param clientCa null when clients need no certificate
 */
public record TlsFiles(Path cert, Path key, Path clientCa) {
    public boolean mutual() {
        return clientCa != null;
    }
}
