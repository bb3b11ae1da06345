package io.steep.repl.snapshot.generate;

import io.steep.repl.jdbc.SqlIdentifiers;
import io.steep.repl.job.JobContext;
import io.steep.repl.snapshot.manifest.Manifest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The run's side of {@link SnapshotHolder}: the holder's functions are internal, so the
 * coordinator (a job connection, {@code SET ROLE} to the submitter) switches back to the
 * worker's own role for exactly one fixed call and then to the submitter again.
 */
final class HeldSnapshots {
    /** No holder slot or background worker slot free: the run goes on with a snapshot of its own. */
    private static final String NO_SLOT = "53400";

    private HeldSnapshots() {
    }

    /**
     * The job's held snapshot (the one an earlier attempt held, if its holder still runs), or
     * null when none can be held; the run then exports its own and a retry starts over.
     */
    static SnapshotHolder.Held hold(JobContext context, Connection coordinator) throws SQLException {
        return hold(context, coordinator, null);
    }

    /** The same, a new holder importing {@code importName} (a replication slot's snapshot) first. */
    static SnapshotHolder.Held hold(JobContext context, Connection coordinator, String importName)
            throws SQLException {
        String role = currentUser(coordinator);
        try {
            return asWorker(coordinator, role,
                    () -> SnapshotHolder.hold(coordinator, context.jobId(), role, importName));
        } catch (SQLException e) {
            if (!NO_SLOT.equals(e.getSQLState())) {
                throw e;
            }
            System.err.println("steep_repl job " + context.jobId() + ": WARNING: the snapshot is not held ("
                    + e.getMessage() + "); a retry after a failure starts over");
            return null;
        }
    }

    /** Ends the job's holder (one an earlier attempt left that this one cannot use). */
    static void release(JobContext context, Connection coordinator) throws SQLException {
        String role = currentUser(coordinator);
        asWorker(coordinator, role, () -> SnapshotHolder.release(coordinator, context.jobId()));
    }

    /** Has the holder take ACCESS SHARE on the tables, so none changes while no attempt runs. */
    static void lock(JobContext context, Connection coordinator, List<Manifest.TableName> tables) throws SQLException {
        String role = currentUser(coordinator);
        asWorker(coordinator, role, () -> {
            SnapshotHolder.lock(coordinator, context.jobId(), tables);
            return null;
        });
    }

    private interface Call<T> {
        T run() throws SQLException;
    }

    private static <T> T asWorker(Connection connection, String role, Call<T> call) throws SQLException {
        execute(connection, "RESET ROLE");
        T result;
        try {
            result = call.run();
        } catch (SQLException | RuntimeException e) {
            // In a failed transaction this fails too; the run fails and closes the connection.
            try {
                execute(connection, "SET ROLE " + SqlIdentifiers.quote(role));
            } catch (SQLException back) {
                e.addSuppressed(back);
            }
            throw e;
        }
        // Back to the submitter before anything else runs; if even that fails, the run fails.
        execute(connection, "SET ROLE " + SqlIdentifiers.quote(role));
        return result;
    }

    private static String currentUser(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_user")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }
}
