package io.steep.repl.daemon.grpc;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerServiceDefinition;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import io.steep.repl.daemon.config.DaemonConfig;
import io.steep.repl.daemon.config.TlsFiles;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Builds and starts the gRPC server: TLS (with client certificates required for mTLS) through
 * grpc-java's TlsServerCredentials, plaintext only when the config allows it; every call passes
 * the bearer token check first, then is counted by {@link OpenCalls}.
 */
public final class GrpcListener {
    private GrpcListener() {
    }

    public static Server start(DaemonConfig config, List<ServerServiceDefinition> services, OpenCalls openCalls) {
        NettyServerBuilder builder = NettyServerBuilder.forAddress(
                new InetSocketAddress(config.listen().host(), config.listen().port()), credentials(config.tls()));
        services.forEach(builder::addService);
        // Interceptors run in the reverse order of adding: the token is checked before a call is counted.
        builder.intercept(openCalls);
        if (config.token() != null) {
            builder.intercept(new BearerToken(config.token()));
        }
        try {
            return builder.build().start();
        } catch (IOException e) {
            throw new SteepReplException(ErrorCode.ERROR, "cannot listen on " + config.listen() + " (gRPC): "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()),
                    "Another process may listen there (another daemon?): give listen.port another port.", null, e);
        } catch (IllegalArgumentException e) {
            throw new SteepReplException(ErrorCode.USAGE, "tls: cannot use the certificate and key: " + e.getMessage(),
                    "tls.cert must be PEM certificates (the server's first) and tls.key its PEM PKCS#8 private key.", null, e);
        }
    }

    private static ServerCredentials credentials(TlsFiles tls) {
        if (tls == null) {
            return InsecureServerCredentials.create();
        }
        try {
            TlsServerCredentials.Builder builder = TlsServerCredentials.newBuilder()
                    .keyManager(tls.cert().toFile(), tls.key().toFile());
            if (tls.mutual()) {
                builder.trustManager(tls.clientCa().toFile()).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
            }
            return builder.build();
        } catch (IOException e) {
            throw new SteepReplException(ErrorCode.USAGE, "tls: cannot read the certificate files: " + e.getMessage(),
                    "Check tls.cert, tls.key and tls.client_ca.", null, e);
        }
    }
}
