package io.steep.repl.daemon.grpc;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * Refuses every call whose {@code authorization} header is not {@code Bearer <token>} with
 * UNAUTHENTICATED. The comparison is of SHA-256 digests with {@link MessageDigest#isEqual}, so its
 * time tells nothing of the token, its length included. Neither token is ever logged or echoed.
 */
public final class BearerToken implements ServerInterceptor {
    public static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String SCHEME = "bearer ";

    private final byte[] expected;

    public BearerToken(String token) {
        this.expected = digest(token);
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
            ServerCallHandler<ReqT, RespT> next) {
        String given = headers.get(AUTHORIZATION);
        String problem = given == null ? "missing bearer token"
                : !given.toLowerCase(Locale.ROOT).startsWith(SCHEME) ? "the authorization header is not a bearer token"
                : !MessageDigest.isEqual(expected, digest(given.substring(SCHEME.length()).strip())) ? "invalid bearer token"
                : null;
        if (problem == null) {
            return next.startCall(call, headers);
        }
        call.close(Status.UNAUTHENTICATED.withDescription(problem + ": this daemon requires the token of its config "
                + "(token or token_file) in the header authorization: Bearer <token>"), new Metadata());
        return new ServerCall.Listener<>() {
        };
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
