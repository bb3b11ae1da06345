package io.steep.repl.job;

import java.sql.Connection;
import java.sql.SQLException;

/** Further connections for a job that needs more than its own one; supplied by the worker. */
public interface JobConnections {

    /**
     * A new autocommit connection to the job's database that is the submitter's session for
     * good (see {@link JobSession}). The caller closes it; the worker closes any still open when
     * the job ends.
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

    /**
     * An autocommit connection as the worker's superuser, for the extension's internal functions
     * a job needs (the snapshot holder's). It runs fixed statements with values the handler
     * checked, never SQL from the job's input or its database, and never as the submitter.
     * Closed by the worker when the job ends if still open; not cancelled with the job.
     */
    Connection openInternal(String applicationName) throws SQLException;

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
        public Connection openInternal(String applicationName) throws SQLException {
            throw new SQLException("this job context cannot open internal connections");
        }

        @Override
        public ServerAccess serverAccess() {
            throw new UnsupportedOperationException("this job context has no server access for subprocesses");
        }
    };
}
