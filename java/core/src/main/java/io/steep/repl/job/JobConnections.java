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

    /** Connection parameters for subprocesses, see {@link ServerAccess}. */
    ServerAccess serverAccess();

    /** For contexts that have no worker behind them: every call fails. */
    JobConnections NONE = new JobConnections() {
        @Override
        public Connection open(String applicationName) throws SQLException {
            throw new SQLException("this job context cannot open further connections");
        }

        @Override
        public ServerAccess serverAccess() {
            throw new UnsupportedOperationException("this job context has no server access for subprocesses");
        }
    };
}
