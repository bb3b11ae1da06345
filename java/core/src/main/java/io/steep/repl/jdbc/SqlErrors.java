package io.steep.repl.jdbc;

import io.steep.repl.ErrorCode;
import java.sql.SQLException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Turns SQLExceptions into steep-repl failures by SQLSTATE class (never by message text),
 * keeping the server's message, detail and hint, scrubbed of secrets.
 */
public final class SqlErrors {
    static final String PRIVILEGE_HINT = "The current role lacks a privilege this needs; ask an administrator "
            + "to GRANT it (the steep-repl privilege table lists what each operation requires).";

    private static final String INVALID_PARAMETER_VALUE = "22023";

    private SqlErrors() {
    }

    public static ServerException translate(SQLException e) {
        String state = e.getSQLState();
        String message = e.getMessage();
        String detail = null;
        String hint = null;
        ServerErrorMessage server = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
        if (server != null) {
            message = server.getMessage();
            detail = server.getDetail();
            hint = server.getHint();
        }
        ErrorCode code = classify(state);
        if (hint == null) {
            hint = defaultHint(state, code);
        }
        return new ServerException(code, Redaction.scrub(message), Redaction.scrub(detail), Redaction.scrub(hint),
                state, e);
    }

    /**
     * A start function's refusal of its arguments (SQLSTATE 22023, invalid_parameter_value) as a
     * usage error of the request, so the CLI exits 2 and a daemon answers INVALID_ARGUMENT; null
     * for any other failure, which the caller rethrows as it is.
     */
    public static ServerException asUsageError(SQLException e) {
        if (!INVALID_PARAMETER_VALUE.equals(e.getSQLState())) {
            return null;
        }
        ServerException refused = translate(e);
        return new ServerException(ErrorCode.USAGE, refused.getMessage(), refused.detail(), refused.hint(),
                refused.sqlState(), e);
    }

    /** The outcome class of a SQLSTATE; null or unknown states are plain errors. */
    public static ErrorCode classify(String sqlState) {
        if (sqlState == null) {
            return ErrorCode.ERROR;
        }
        if (sqlState.startsWith("08") || sqlState.startsWith("28") || sqlState.equals("3D000")
                || sqlState.equals("57P01") || sqlState.equals("57P02") || sqlState.equals("57P03")) {
            return ErrorCode.CONNECTION;
        }
        if (sqlState.equals("57014")) {
            return ErrorCode.CANCELLED;
        }
        return ErrorCode.ERROR;
    }

    private static String defaultHint(String sqlState, ErrorCode code) {
        if ("42501".equals(sqlState)) {
            return PRIVILEGE_HINT;
        }
        if ("57014".equals(sqlState)) {
            return "The statement was cancelled (by pg_cancel_backend, statement_timeout or a user); "
                    + "its changes were rolled back.";
        }
        if (code == ErrorCode.CONNECTION) {
            return "Check that the server is running and reachable, then retry.";
        }
        return null;
    }
}
