package io.steep.repl;

/**
 * A failure with a code, a one-line message and, where one exists, a hint that names the
 * fix. Messages never contain passwords: connection strings are redacted before they get here.
 */
public class SteepReplException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String hint;
    private final String sqlState;

    public SteepReplException(ErrorCode code, String message, String hint) {
        this(code, message, hint, null, null);
    }

    public SteepReplException(ErrorCode code, String message, String hint, String sqlState, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.hint = hint;
        this.sqlState = sqlState;
    }

    public ErrorCode code() {
        return code;
    }

    /** The remedy, or null when there is nothing useful to suggest. */
    public String hint() {
        return hint;
    }

    /** The SQLSTATE of the server error behind this failure, or null. */
    public String sqlState() {
        return sqlState;
    }
}
