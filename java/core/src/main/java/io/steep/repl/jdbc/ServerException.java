package io.steep.repl.jdbc;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;

/** A failure reported by PostgreSQL (or by the driver talking to it), with the server's DETAIL. */
public class ServerException extends SteepReplException {
    private static final long serialVersionUID = 1L;

    private final String detail;

    public ServerException(ErrorCode code, String message, String detail, String hint, String sqlState,
            Throwable cause) {
        super(code, message, hint, sqlState, cause);
        this.detail = detail;
    }

    /** The server's DETAIL line, or null. */
    public String detail() {
        return detail;
    }
}
