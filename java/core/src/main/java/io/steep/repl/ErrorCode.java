package io.steep.repl;

/**
 * The outcome classes every steep-repl failure maps to. The CLI turns them into exit codes
 * here and nowhere else; the daemon will map them to gRPC statuses the same way.
 */
public enum ErrorCode {
    OK(0),
    ERROR(1),
    USAGE(2),
    SCHEMA_MISMATCH(3),
    CANCELLED(4),
    TIMEOUT(5),
    CONNECTION(6);

    private final int exitCode;

    ErrorCode(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** Lower-case name used in JSON output, e.g. {@code "schema_mismatch"}. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
