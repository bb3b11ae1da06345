package io.steep.repl.worker;

import java.sql.SQLException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Turns a failure into the one-line text stored in {@code work_queue.error_message}: the
 * server's own message for SQL errors, never a stack trace or a Java class dump.
 */
final class ErrorMessages {
    /** Long enough for any real message, short enough to keep the row and the NOTIFY small. */
    static final int MAX_LENGTH = 2000;

    private ErrorMessages() {
    }

    static String describe(Throwable failure) {
        return truncate(text(failure), MAX_LENGTH);
    }

    private static String text(Throwable failure) {
        if (failure instanceof PSQLException psql) {
            ServerErrorMessage server = psql.getServerErrorMessage();
            if (server != null && hasText(server.getMessage())) {
                return server.getMessage();
            }
        }
        if (hasText(failure.getMessage())) {
            return failure.getMessage() + clientSideCause(failure);
        }
        // A failure without text (a bare NullPointerException, say) is named by its type so the
        // row still says something; a cause with text says more.
        Throwable cause = failure.getCause();
        if (cause != null && cause != failure) {
            return failure.getClass().getSimpleName() + ": " + text(cause);
        }
        return failure.getClass().getSimpleName();
    }

    /**
     * pgjdbc reports a broken connection as "An I/O error occurred..." and keeps the reason
     * (connection refused, no such socket file) in the cause; without it the line says nothing.
     */
    private static String clientSideCause(Throwable failure) {
        Throwable cause = failure.getCause();
        if (failure instanceof SQLException && cause != null && cause != failure && hasText(cause.getMessage())
                && !failure.getMessage().contains(cause.getMessage())) {
            return " (" + cause.getMessage() + ")";
        }
        return "";
    }

    private static boolean hasText(String s) {
        return s != null && !s.isBlank();
    }

    /** Cuts at a code-point boundary and marks the cut. */
    static String truncate(String text, int maxChars) {
        if (text == null || text.length() <= maxChars) {
            return text;
        }
        if (maxChars < 4) {
            return "";
        }
        int end = maxChars - 3;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "...";
    }
}
