package io.steep.repl.snapshot.generate;

import io.steep.repl.job.JobContext;
import io.steep.repl.snapshot.manifest.Manifest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The run's side of {@link SnapshotHolder}: the holder's functions are internal, and a job
 * connection is the submitter's for good, so each call goes through a short-lived internal
 * connection of the worker ({@link JobContext#openInternalConnection}) with the submitter's
 * name as the coordinator reports it.
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
            return asWorker(context, internal -> SnapshotHolder.hold(internal, context.jobId(), role, importName));
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
    static void release(JobContext context) throws SQLException {
        asWorker(context, internal -> SnapshotHolder.release(internal, context.jobId()));
    }

    /** Has the holder take ACCESS SHARE on the tables, so none changes while no attempt runs. */
    static void lock(JobContext context, List<Manifest.TableName> tables) throws SQLException {
        asWorker(context, internal -> {
            SnapshotHolder.lock(internal, context.jobId(), tables);
            return null;
        });
    }

    private interface Call<T> {
        T run(Connection internal) throws SQLException;
    }

    private static <T> T asWorker(JobContext context, Call<T> call) throws SQLException {
        try (Connection internal = context.openInternalConnection("steep_repl job " + context.jobId() + " holder")) {
            return call.run(internal);
        }
    }

    private static String currentUser(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_catalog.current_user()")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
