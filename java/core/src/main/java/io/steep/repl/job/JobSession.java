package io.steep.repl.job;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Turns a session of the worker's superuser into a session of a job's submitter, for good
 * (docs/security.md). {@code steep_repl._enter_job_role} runs the rest of the session as the
 * role inside a security-restricted operation, as PostgreSQL runs a table owner's code during
 * CREATE INDEX: no trigger, policy, constraint or index function the job evaluates can SET ROLE,
 * RESET ROLE or SET SESSION AUTHORIZATION its way back. The role is the job row's
 * {@code submitted_by}, an OID, read in the same statement: a role dropped and re-created under
 * the same name is not the submitter, and a job that is no longer running gets no session
 * (its role lookup is NULL, which {@code _enter_job_role} refuses).
 */
public final class JobSession {
    private JobSession() {
    }

    /**
     * The statement that enters the job's role; for psql scripts too, so it is plain text. The
     * job id is a number formatted here, never text from elsewhere. It must run alone, outside
     * a transaction block.
     */
    public static String enterStatement(long jobId) {
        return "SELECT steep_repl._enter_job_role((SELECT q.submitted_by::pg_catalog.oid "
                + "FROM steep_repl.work_queue q WHERE q.id = " + jobId + " AND q.status = 'running'))";
    }

    /** Enters the job's role on an autocommit connection; returns the role's name. */
    public static String enter(Connection connection, long jobId) throws SQLException {
        if (!connection.getAutoCommit()) {
            throw new SQLException("a job session is entered in autocommit mode only");
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute(enterStatement(jobId));
            try (ResultSet rs = statement.executeQuery("SELECT pg_catalog.current_user()")) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
