package io.steep.repl.job;

import java.sql.Connection;
import java.sql.SQLException;

/** Further connections for a job that needs more than its own one; supplied by the worker. */
public interface JobConnections {

    /**
     * A new autocommit connection to the job's database, already running as the submitting
     * role. The caller closes it; the worker closes any still open when the job ends.
     */
    Connection open(String applicationName) throws SQLException;

    /**
     * A logical replication connection ({@code replication=database}, simple query protocol) to
     * the job's database as the worker's superuser, for replication commands such as
     * {@code CREATE_REPLICATION_SLOT}. It does not run as the submitter, so the handler checks
     * the submitter's right first. The worker does not cancel its statements on a cancel request,
     * because a handler must still be able to clean up through such a connection afterwards; a
     * handler cancels its own long waits. The worker closes it when the job ends if still open.
     */
    Connection openReplication(String applicationName) throws SQLException;

    /** Connection parameters for subprocesses, see {@link ServerAccess}. */
    ServerAccess serverAccess();

    /** For contexts that have no worker behind them: every call fails. */
    JobConnections NONE = new JobConnections() {
        @Override
        public Connection open(String applicationName) throws SQLException {
            throw new SQLException("this job context cannot open further connections");
        }

        @Override
        public Connection openReplication(String applicationName) throws SQLException {
            throw new SQLException("this job context cannot open replication connections");
        }

        @Override
        public ServerAccess serverAccess() {
            throw new UnsupportedOperationException("this job context has no server access for subprocesses");
        }
    };
}
