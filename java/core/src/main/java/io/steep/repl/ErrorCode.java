package io.steep.repl;

/**
 * The outcome classes every steep-repl failure maps to, and the one table that turns them into
 * CLI exit codes and gRPC status codes (names of io.grpc.Status.Code, so the engine does not
 * depend on gRPC). The daemon also sends the id, so a remote CLI exits with the same code.
 */
public enum ErrorCode {
    OK(0, "OK"),
    /** A refusal or a failure of the operation (the message says which). */
    ERROR(1, "FAILED_PRECONDITION"),
    USAGE(2, "INVALID_ARGUMENT"),
    SCHEMA_MISMATCH(3, "FAILED_PRECONDITION"),
    /** The run was cancelled (by a user, not the call by its client). */
    CANCELLED(4, "ABORTED"),
    TIMEOUT(5, "DEADLINE_EXCEEDED"),
    CONNECTION(6, "UNAVAILABLE");

    private final int exitCode;
    private final String grpcStatus;

    ErrorCode(int exitCode, String grpcStatus) {
        this.exitCode = exitCode;
        this.grpcStatus = grpcStatus;
    }

    public int exitCode() {
        return exitCode;
    }

    /** The gRPC status code's name, e.g. {@code INVALID_ARGUMENT}. */
    public String grpcStatus() {
        return grpcStatus;
    }

    /** The code of an {@link #id()}, or null for an unknown id. */
    public static ErrorCode ofId(String id) {
        for (ErrorCode code : values()) {
            if (code.id().equals(id)) {
                return code;
            }
        }
        return null;
    }

    /** Lower-case name used in JSON output, e.g. {@code "schema_mismatch"}. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
