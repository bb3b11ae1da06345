package io.steep.repl.daemon.rpc;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import io.steep.repl.daemon.Daemon;
import io.steep.repl.jdbc.Redaction;
import io.steep.repl.jdbc.ServerException;
import java.nio.charset.StandardCharsets;

/**
 * Failures across the wire: a steep-repl failure ends a call with the gRPC status of its
 * {@link ErrorCode} (that enum's table), the message as the description and the rest in
 * trailers, so the client rebuilds the same failure and the CLI prints and exits as in direct
 * mode. A status from gRPC itself (no daemon, a refused certificate or token) becomes the
 * nearest code with a hint.
 */
public final class Failures {
    static final Metadata.Key<String> CODE = Metadata.Key.of("steep-repl-error", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> SQLSTATE = Metadata.Key.of("steep-repl-sqlstate", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<byte[]> HINT = Metadata.Key.of("steep-repl-hint-bin", Metadata.BINARY_BYTE_MARSHALLER);
    static final Metadata.Key<byte[]> DETAIL = Metadata.Key.of("steep-repl-detail-bin", Metadata.BINARY_BYTE_MARSHALLER);

    private Failures() {
    }

    /** The status a failure ends its call with. */
    public static StatusRuntimeException toStatus(SteepReplException failure) {
        Metadata trailers = new Metadata();
        trailers.put(CODE, failure.code().id());
        if (failure.sqlState() != null) {
            trailers.put(SQLSTATE, failure.sqlState());
        }
        if (failure.hint() != null) {
            trailers.put(HINT, failure.hint().getBytes(StandardCharsets.UTF_8));
        }
        if (failure instanceof ServerException server && server.detail() != null) {
            trailers.put(DETAIL, server.detail().getBytes(StandardCharsets.UTF_8));
        }
        return Status.fromCode(Status.Code.valueOf(failure.code().grpcStatus()))
                .withDescription(failure.getMessage())
                .asRuntimeException(trailers);
    }

    /** The failure a status stands for, as the client reports it. */
    public static SteepReplException fromStatus(StatusRuntimeException e, String daemon) {
        Status status = e.getStatus();
        Metadata trailers = e.getTrailers() != null ? e.getTrailers() : new Metadata();
        ErrorCode code = ErrorCode.ofId(trailers.get(CODE));
        String message = status.getDescription() != null ? status.getDescription() : status.getCode().name();
        if (code != null) {
            String hint = text(trailers.get(HINT));
            String detail = text(trailers.get(DETAIL));
            String sqlState = trailers.get(SQLSTATE);
            return detail != null || sqlState != null
                    ? new ServerException(code, message, detail, hint, sqlState, null)
                    : new SteepReplException(code, message, hint);
        }
        if (status.getCode() == Status.Code.UNAVAILABLE && message.startsWith(Daemon.SHUTTING_DOWN)) {
            return new SteepReplException(ErrorCode.CONNECTION, "the steep-repl daemon at " + daemon
                    + " is shutting down: " + message,
                    "A run it was following goes on in PostgreSQL: follow it with `steep-repl snapshot progress` "
                            + "or `steep-repl merge status` (directly, or once the daemon is back).");
        }
        return switch (status.getCode()) {
            case UNAVAILABLE -> new SteepReplException(ErrorCode.CONNECTION,
                    "cannot reach the steep-repl daemon at " + daemon + ": " + Redaction.scrub(message),
                    "Check the address and that `steep-repl daemon run` serves there; with TLS give --ca "
                            + "(and --cert/--key when it asks for client certificates).");
            case UNAUTHENTICATED -> new SteepReplException(ErrorCode.ERROR,
                    "the steep-repl daemon at " + daemon + " refused the call: " + message,
                    "Give the daemon's token with --token or STEEP_REPL_TOKEN.");
            case DEADLINE_EXCEEDED -> new SteepReplException(ErrorCode.TIMEOUT, message, null);
            case INVALID_ARGUMENT -> new SteepReplException(ErrorCode.USAGE, message, null);
            case UNIMPLEMENTED -> new SteepReplException(ErrorCode.ERROR,
                    "the steep-repl daemon at " + daemon + " does not serve this operation: " + message,
                    "Run the same version of steep-repl as the daemon, or use --direct.");
            default -> new SteepReplException(ErrorCode.ERROR,
                    "the steep-repl daemon at " + daemon + " failed: " + status.getCode() + ": " + message, null);
        };
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
