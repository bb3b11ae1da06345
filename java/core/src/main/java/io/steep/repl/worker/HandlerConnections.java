package io.steep.repl.worker;

import io.steep.repl.job.JobConnections;
import io.steep.repl.job.JobSession;
import io.steep.repl.job.ServerAccess;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGConnection;

/**
 * The further connections one job opens through its context: each is the submitter's session
 * for good ({@link JobSession}),
 * is known to the cancel logic while open, and is closed when the job ends if the handler
 * did not close it. Like the job's own connection, none is ever reused.
 */
final class HandlerConnections implements JobConnections {
    private final RunningJob running;
    private final JobRunner.ConnectionOpener opener;
    private final String role;
    private final List<Connection> opened = new ArrayList<>();
    private boolean closed;

    /** {@code role}: the submitter's name, as the job's own session found it. */
    HandlerConnections(RunningJob running, JobRunner.ConnectionOpener opener, String role) {
        this.running = running;
        this.opener = opener;
        this.role = role;
    }

    @Override
    public Connection open(String applicationName) throws SQLException {
        requireOpen();
        Connection connection = opener.open(applicationName);
        try {
            int pid = connection.unwrap(PGConnection.class).getBackendPID();
            synchronized (this) {
                if (closed) {
                    throw ended();
                }
                opened.add(connection);
                running.attachExtraBackend(pid, connection);
            }
            // Registered first, so a cancel reaches it even while it enters the role.
            JobSession.enter(connection, running.id());
            return connection;
        } catch (SQLException | RuntimeException e) {
            Worker.closeQuietly(connection);
            throw e;
        }
    }

    /** Closed with the job like the others, but left out of the backend cancel (see JobConnections). */
    @Override
    public Connection openReplication(String applicationName) throws SQLException {
        requireOpen();
        return keep(opener.openReplication(applicationName));
    }

    /** Like a replication connection: the worker's own, for fixed internal calls (see JobConnections). */
    @Override
    public Connection openInternal(String applicationName) throws SQLException {
        requireOpen();
        return keep(opener.open(applicationName));
    }

    private Connection keep(Connection connection) throws SQLException {
        synchronized (this) {
            if (!closed) {
                opened.add(connection);
                return connection;
            }
        }
        Worker.closeQuietly(connection);
        throw ended();
    }

    private synchronized void requireOpen() throws SQLException {
        if (closed) {
            throw ended();
        }
    }

    private SQLException ended() {
        return new SQLException("job " + running.id() + " has ended; no further connections");
    }

    @Override
    public ServerAccess serverAccess() {
        return opener.serverAccess(role, running.id());
    }

    /** Closes whatever the handler left open; later {@link #open} calls fail. */
    void closeAll() {
        List<Connection> left;
        synchronized (this) {
            closed = true;
            left = List.copyOf(opened);
            opened.clear();
        }
        for (Connection connection : left) {
            try {
                // a replication connection was never attached; detaching its pid changes nothing
                running.detachExtraBackend(connection.unwrap(PGConnection.class).getBackendPID());
            } catch (SQLException e) {
                // not a pgjdbc connection any more; nothing to detach
            }
            Worker.closeQuietly(connection);
        }
    }
}
