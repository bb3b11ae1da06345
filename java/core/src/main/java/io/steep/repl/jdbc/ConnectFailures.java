package io.steep.repl.jdbc;

import io.steep.repl.ErrorCode;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import javax.net.ssl.SSLException;

/**
 * Explains why a connection could not be opened: the target (redacted), the reason, and a
 * hint that names the likely fix, in libpq's words where libpq has them.
 */
final class ConnectFailures {

    private ConnectFailures() {
    }

    static ServerException translate(ConnectionSpec spec, SQLException e) {
        ServerException server = SqlErrors.translate(e);
        String state = e.getSQLState();
        Throwable root = rootCause(e);
        String reason = server.getMessage();
        String hint;
        if ("28P01".equals(state)) {
            hint = "Check the password for user \"" + spec.user() + "\""
                    + (spec.passwordSource() == null ? "" : " (it came from " + spec.passwordSource() + ")")
                    + " and the server's pg_hba.conf entry for this user, database and client address.";
        } else if (state != null && state.startsWith("28")) {
            hint = "The server's pg_hba.conf does not let user \"" + spec.user() + "\" into database \""
                    + spec.dbname() + "\" this way; ask an administrator for an entry, or connect as another user.";
        } else if (reason != null && reason.contains("no password was provided")) {
            hint = "The server wants a password for user \"" + spec.user() + "\": put it in ~/.pgpass (mode 0600) "
                    + "or PGPASSWORD rather than on the command line.";
        } else if ("3D000".equals(state)) {
            hint = "Check the database name (dbname=" + spec.dbname() + "); psql -l lists the databases.";
        } else if (root instanceof UnknownHostException) {
            reason = "could not translate host name \"" + root.getMessage() + "\" to address";
            hint = "Check the host name, or give a numeric address with hostaddr=.";
        } else if (root instanceof SocketTimeoutException) {
            reason = "timeout expired";
            hint = "Is " + spec.primary().describe() + " reachable from here (firewall, listen_addresses)? "
                    + "connect_timeout= sets how long to wait.";
        } else if (root instanceof SSLException || (reason != null && reason.contains("SSL"))) {
            hint = "Check sslmode (now " + (spec.sslmode() == null ? "prefer" : spec.sslmode())
                    + ") and the certificate files (sslrootcert, sslcert, sslkey).";
        } else if (root instanceof IOException) {
            reason = root.getMessage() != null ? root.getMessage() : reason;
            hint = spec.isUnixSocket()
                    ? "Is the server running locally and accepting connections on " + spec.primary().describe() + "?"
                    : "Is the server running on " + spec.primary().describe()
                            + " and accepting TCP/IP connections (listen_addresses, firewall)?";
        } else {
            hint = server.hint();
        }
        return new ServerException(ErrorCode.CONNECTION,
                "could not connect to " + Redaction.describe(spec) + ": " + Redaction.scrub(reason),
                server.detail(), hint, state, e);
    }

    private static Throwable rootCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
