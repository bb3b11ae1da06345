package io.steep.repl.snapshot.generate;

import io.steep.repl.snapshot.manifest.Manifest;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * A job's snapshot held by a {@code steep_repl snapshot holder} background worker (docs/worker.md):
 * a child of the postmaster that exports the snapshot in its own REPEATABLE READ, READ ONLY
 * transaction and keeps it, and the ACCESS SHARE locks it is asked for, until the job ends, it is
 * released, or the job has not been running for {@code steep_repl.snapshot_hold_grace}. Unlike a
 * snapshot exported by a worker connection it survives the death of the Java worker, so a retry of
 * the same job imports the same snapshot ({@link Held#reused()}).
 *
 * <p>The SQL functions behind these calls are internal: the connection must be allowed to execute
 * them, i.e. the worker's own superuser session. A job connection runs as the submitter after
 * {@code SET ROLE}, so it has to {@code RESET ROLE} first; that is the caller's business. None of
 * the calls is transactional: a holder is started, asked to lock and released at once, whatever
 * happens to the calling transaction later.
 */
public final class SnapshotHolder {
    /**
     * @param name   the exported snapshot, for {@code SET TRANSACTION SNAPSHOT}
     * @param lsn    the WAL insert position when it was exported, as text (e.g. {@code 0/16B3748})
     * @param reused true when an earlier run of the job started the holder
     */
    public record Held(String name, String lsn, boolean reused) {
    }

    private SnapshotHolder() {
    }

    /**
     * The job's held snapshot; when it has none, a new holder running as {@code role} exports one
     * (this waits up to 30 s for it). Fails when steep_repl is not preloaded, when no holder slot
     * or background worker slot is free, or when the holder dies before it has exported.
     */
    public static Held hold(Connection connection, long jobId, String role) throws SQLException {
        return hold(connection, jobId, role, null);
    }

    /**
     * Like {@link #hold(Connection, long, String)}, but a new holder first imports the snapshot
     * {@code importName} (still importable: its exporter runs) and holds that one, under a name
     * of its own; its LSN is then only when it imported it. A holder the job already has is
     * returned as it is.
     */
    public static Held hold(Connection connection, long jobId, String role, String importName) throws SQLException {
        if (importName != null) {
            ExportedSnapshot.requireValidName(importName);
        }
        try (PreparedStatement ps = connection.prepareStatement("SELECT snapshot_name, lsn::pg_catalog.text, reused "
                + "FROM steep_repl._hold_snapshot(?, pg_catalog.quote_ident(?)::pg_catalog.regrole, ?)")) {
            ps.setLong(1, jobId);
            ps.setString(2, role);
            ps.setString(3, importName);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("steep_repl._hold_snapshot returned no row for job " + jobId);
                }
                Held held = new Held(rs.getString(1), rs.getString(2), rs.getBoolean(3));
                ExportedSnapshot.requireValidName(held.name());
                return held;
            }
        }
    }

    /**
     * Makes the job's holder take ACCESS SHARE on the tables (each exactly that relation, like
     * {@code LOCK TABLE ONLY}) and keep them until it exits; returns once it holds them all. Like
     * LOCK TABLE it waits for conflicting locks, within the calling session's statement_timeout.
     * The holder's role needs SELECT on every table.
     */
    public static void lock(Connection connection, long jobId, List<Manifest.TableName> tables) throws SQLException {
        if (tables.isEmpty()) {
            return;
        }
        Array names = connection.createArrayOf("text",
                tables.stream().map(Manifest.TableName::quoted).toArray(String[]::new));
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT steep_repl._lock_held_snapshot(?, ?::pg_catalog.text[]::pg_catalog.regclass[])")) {
            ps.setLong(1, jobId);
            ps.setArray(2, names);
            ps.execute();
        } finally {
            names.free();
        }
    }

    /** The job's holder, if one holds a snapshot now (any role may ask), else null. */
    public static Held existing(Connection connection, long jobId) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT snapshot_name, lsn::pg_catalog.text "
                + "FROM steep_repl.held_snapshots() WHERE job_id = ? AND state = 'holding'")) {
            ps.setLong(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Held(rs.getString(1), rs.getString(2), true) : null;
            }
        }
    }

    /** Tells the job's holder to end, without waiting for it; false when the job has none. */
    public static boolean release(Connection connection, long jobId) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT steep_repl._release_snapshot(?)")) {
            ps.setLong(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
