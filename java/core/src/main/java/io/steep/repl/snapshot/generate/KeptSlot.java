package io.steep.repl.snapshot.generate;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import io.steep.repl.jdbc.SqlErrors;
import io.steep.repl.jdbc.SqlIdentifiers;
import io.steep.repl.job.JobCancelledException;
import io.steep.repl.job.JobContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The logical replication slot a run keeps (option keep_slot). It is created with an exported
 * snapshot that becomes the run's snapshot, so a subscription starting from the slot receives
 * exactly the changes the copy does not hold. That snapshot stays importable only while the
 * replication connection that created it runs no further command, so the connection is held,
 * idle, until the snapshot holder (or the coordinator) has imported it and exported it again
 * under a name of its own. A run that does not complete drops the slot again: a slot nobody
 * consumes retains WAL forever. A retry may adopt the slot its killed attempt left ({@link #adopt}).
 */
final class KeptSlot {
    static final String PLUGIN = "pgoutput";
    private static final long CANCEL_POLL_MILLIS = 100;

    private final JobContext context;
    private final String name;
    private final String snapshotName;
    private final String consistentPoint;
    private Connection replication;

    private KeptSlot(JobContext context, String name, String snapshotName, String consistentPoint,
            Connection replication) {
        this.context = context;
        this.name = name;
        this.snapshotName = snapshotName;
        this.consistentPoint = consistentPoint;
        this.replication = replication;
    }

    /**
     * Checks on {@code submitter} (a connection running as the submitting role) that the role may
     * have the slot, that the server can decode and that the name is free; then creates the slot.
     * The replication connection is the worker superuser's, hence the explicit check of the role.
     */
    static KeptSlot create(JobContext context, Connection submitter, String name, boolean derivedFromSnapshotId)
            throws SQLException {
        requireReplicationAttribute(submitter);
        requireLogicalWal(submitter);
        if (derivedFromSnapshotId) {
            dropLeftover(context, submitter, name);
        }
        requireFree(submitter, name);
        Connection replication = openReplication(context);
        try {
            return createOn(replication, context, name);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(replication);
            if ("42710".equals(e instanceof SQLException q ? q.getSQLState() : null)) {
                throw taken(name);
            }
            throw e;
        }
    }

    /**
     * The slot an earlier attempt of this run created and left when its worker died, taken over
     * by the retry that resumes under the same held snapshot: nothing is created, and a failure
     * of this attempt drops it like one it created.
     */
    static KeptSlot adopt(JobContext context, String name, String consistentPoint) {
        System.err.println("steep_repl job " + context.jobId() + ": LOG:  resuming with replication slot \"" + name
                + "\" created by an earlier attempt of the same snapshot");
        return new KeptSlot(context, name, null, consistentPoint, null);
    }

    /** Whether {@code name} is a logical slot of this database that nobody uses. */
    static boolean existsUnused(Connection submitter, String name) throws SQLException {
        try (PreparedStatement ps = submitter.prepareStatement("SELECT 1 FROM pg_catalog.pg_replication_slots "
                + "WHERE slot_name = ? AND NOT active AND slot_type = 'logical' AND plugin = ? "
                + "AND database = pg_catalog.current_database()")) {
            ps.setString(1, name);
            ps.setString(2, PLUGIN);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static KeptSlot createOn(Connection replication, JobContext context, String name) throws SQLException {
        // The slot's creation waits for every transaction running at its start to end, which a long
        // transaction can make take hours; the worker does not cancel replication statements, so
        // the cancel request is passed on from here.
        ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "steep_repl-job-" + context.jobId() + "-slot-cancel");
            thread.setDaemon(true);
            return thread;
        });
        try (Statement s = replication.createStatement()) {
            watch.scheduleWithFixedDelay(() -> {
                if (context.isCancelled()) {
                    cancelQuietly(s);
                }
            }, CANCEL_POLL_MILLIS, CANCEL_POLL_MILLIS, TimeUnit.MILLISECONDS);
            try (ResultSet rs = s.executeQuery("CREATE_REPLICATION_SLOT " + SqlIdentifiers.quote(name) + " LOGICAL "
                    + PLUGIN + " (SNAPSHOT 'export')")) {
                rs.next();
                return new KeptSlot(context, name, rs.getString("snapshot_name"), rs.getString("consistent_point"),
                        replication);
            }
        } finally {
            watch.shutdownNow();
        }
    }

    private static void cancelQuietly(Statement statement) {
        try {
            statement.cancel();
        } catch (SQLException e) {
            // the statement ended meanwhile; nothing to cancel
        }
    }

    private static Connection openReplication(JobContext context) throws SQLException {
        try {
            return context.openReplicationConnection("steep_repl job " + context.jobId() + " slot");
        } catch (SQLException e) {
            String superuser = context.serverAccess().superuser();
            throw new SteepReplException(ErrorCode.CONNECTION, "cannot open a replication connection to create the "
                    + "slot: " + SqlErrors.translate(e).getMessage() + " (pg_hba.conf needs a line like "
                    + "'local replication " + superuser + " peer')", "Add 'local replication " + superuser
                    + " peer' before the other local lines of pg_hba.conf and reload the server.",
                    e.getSQLState(), e);
        }
    }

    private static void requireReplicationAttribute(Connection submitter) throws SQLException {
        try (Statement s = submitter.createStatement();
                ResultSet rs = s.executeQuery("SELECT r.rolname, r.rolsuper OR r.rolreplication "
                        + "FROM pg_catalog.pg_roles r WHERE r.rolname = current_user")) {
            rs.next();
            if (rs.getBoolean(2)) {
                return;
            }
            String role = rs.getString(1);
            throw new SteepReplException(ErrorCode.ERROR, "role \"" + role + "\" cannot keep a replication slot: it "
                    + "lacks the REPLICATION attribute (ALTER ROLE " + SqlIdentifiers.quote(role) + " REPLICATION)",
                    "Ask a superuser for ALTER ROLE " + SqlIdentifiers.quote(role)
                            + " REPLICATION, or generate without keep_slot.", "42501", null);
        }
    }

    private static void requireLogicalWal(Connection submitter) throws SQLException {
        try (Statement s = submitter.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_catalog.current_setting('wal_level')")) {
            rs.next();
            String level = rs.getString(1);
            if (!"logical".equals(level)) {
                throw new SteepReplException(ErrorCode.ERROR, "keep_slot needs wal_level = logical, the server "
                        + "runs with wal_level = " + level, "Set wal_level = logical in postgresql.conf and restart "
                        + "the server, or generate without keep_slot.", "55000", null);
            }
        }
    }

    /**
     * A slot named after this snapshot id can only come from an earlier attempt of this same run
     * that died before it could drop it (kill -9, server restart). Unused, it only retains WAL.
     */
    private static void dropLeftover(JobContext context, Connection submitter, String name) throws SQLException {
        try (PreparedStatement ps = submitter.prepareStatement("SELECT pg_catalog.pg_drop_replication_slot(slot_name) "
                + "FROM pg_catalog.pg_replication_slots WHERE slot_name = ? AND NOT active")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    System.err.println("steep_repl job " + context.jobId() + ": LOG:  dropped replication slot \"" + name
                            + "\" left by an earlier attempt of the same snapshot");
                }
            }
        }
    }

    private static void requireFree(Connection submitter, String name) throws SQLException {
        try (PreparedStatement ps = submitter.prepareStatement(
                "SELECT 1 FROM pg_catalog.pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    throw taken(name);
                }
            }
        }
    }

    private static SteepReplException taken(String name) {
        return new SteepReplException(ErrorCode.ERROR, "replication slot \"" + name + "\" already exists; "
                + "choose another slot_name (the existing slot was left as it is)", "Pass another slot_name, or drop "
                + "the old slot with SELECT pg_drop_replication_slot('" + name + "') if nobody uses it.", "42710",
                null);
    }

    String name() {
        return name;
    }

    String snapshotName() {
        return snapshotName;
    }

    /** Where the slot's changes begin: the LSN the exported snapshot corresponds to. */
    String consistentPoint() {
        return consistentPoint;
    }

    /** Every transaction that needs the snapshot has imported it; the replication connection can go. */
    void releaseSnapshot() {
        closeQuietly(replication);
        replication = null;
    }

    /** The run completed: the slot stays. */
    void keep() {
        releaseSnapshot();
    }

    /**
     * Drops the slot of a run that did not complete and returns what to report: a cancel as it
     * is, any other failure with the slot's fate appended, so the job's error says what happened.
     */
    Exception dropAfter(Throwable failure) {
        releaseSnapshot();
        String fate;
        try {
            drop();
            fate = "the replication slot \"" + name + "\" it created was dropped";
        } catch (SQLException | RuntimeException e) {
            fate = "its replication slot \"" + name + "\" could not be dropped (" + describe(e).getMessage()
                    + "); drop it with SELECT pg_drop_replication_slot('" + name + "')";
            // A cancelled run reports no error text, but a forgotten slot must not go unnoticed.
            System.err.println("steep_repl job " + context.jobId() + ": WARNING: the run did not complete and "
                    + fate);
        }
        if (failure instanceof JobCancelledException || context.isCancelled()) {
            return failure instanceof Exception e ? e : new JobCancelledException(context.jobId());
        }
        SteepReplException reason = describe(failure);
        return new SteepReplException(reason.code(), reason.getMessage() + "; " + fate, reason.hint(),
                reason.sqlState(), failure);
    }

    private void drop() throws SQLException {
        try (Connection connection = context.openReplicationConnection(
                "steep_repl job " + context.jobId() + " slot drop");
                Statement s = connection.createStatement()) {
            s.execute("DROP_REPLICATION_SLOT " + SqlIdentifiers.quote(name));
        }
    }

    private static SteepReplException describe(Throwable failure) {
        if (failure instanceof SteepReplException s) {
            return s;
        }
        if (failure instanceof SQLException q) {
            return SqlErrors.translate(q);
        }
        String message = failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
        return new SteepReplException(ErrorCode.ERROR, message, null);
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            // closing only ends the exported snapshot, which is no longer needed
        }
    }
}
