package io.steep.repl.merge;

import io.steep.repl.jdbc.ExtensionCheck;
import io.steep.repl.run.RowReader;
import io.steep.repl.run.RunKind;
import io.steep.repl.run.Runs;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Merge runs as a user drives them, through the extension's functions (docs/merge.md): start,
 * list, the conflicts a run found; following and cancelling are every run's ({@link Runs}).
 * Every value is a bind parameter. Needs an autocommit connection: a run is invisible to the
 * worker until its start is committed.
 */
public final class Merges {
    /** Merge runs for {@link Runs}. */
    public static final RunKind<MergeRecord, MergeProgress> KIND = new RunKind<>("merge", "merge_id",
            "SELECT " + MergeRecord.COLUMNS + " FROM steep_repl.merge_audit_log WHERE merge_id = ?", MergeRecord::from,
            "SELECT " + MergeProgress.COLUMNS + " FROM steep_repl.merge_progress(?)", MergeProgress::from,
            "SELECT merge_id FROM steep_repl.cancel_merge(?)",
            "A role sees only its own merge runs; steep-repl merge status lists the visible ones.");

    private static final String START = "SELECT merge_id FROM steep_repl.start_merge(p_peer => ?, "
            + "p_tables => ?::pg_catalog.text[], p_strategy => ?, p_dry_run => ?, p_options => ?::pg_catalog.jsonb)";

    private final Connection connection;
    private final Runs<MergeRecord, MergeProgress> runs;

    /** Fails when the connected database lacks the extension. */
    public Merges(Connection connection) throws SQLException {
        ExtensionCheck.require(connection);
        this.connection = connection;
        this.runs = new Runs<>(connection, KIND);
    }

    /** Following, progress and cancelling, as for every kind of run. */
    public Runs<MergeRecord, MergeProgress> runs() {
        return runs;
    }

    /** Starts a merge as a background job; returns its audit row (pending). */
    public MergeRecord start(MergeRequest request) throws SQLException {
        Array tables = connection.createArrayOf("text", request.tables().toArray());
        String mergeId;
        try (PreparedStatement ps = connection.prepareStatement(START)) {
            ps.setString(1, request.peer());
            ps.setArray(2, tables);
            ps.setString(3, request.strategy());
            ps.setBoolean(4, request.dryRun());
            ps.setString(5, request.options().json());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                mergeId = rs.getString(1);
            }
        } finally {
            tables.free();
        }
        return runs.get(mergeId);
    }

    /** The newest visible runs first. */
    public List<MergeRecord> list(int limit) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT " + MergeRecord.COLUMNS
                + " FROM steep_repl.merge_audit_log ORDER BY created_at DESC, merge_id DESC LIMIT ?")) {
            ps.setInt(1, limit);
            return read(ps, MergeRecord::from);
        }
    }

    /** The conflicts a visible run found, by table and key, at most {@code limit}. */
    public List<MergeDecision> conflicts(String mergeId, int limit) throws SQLException {
        runs.get(mergeId);
        try (PreparedStatement ps = connection.prepareStatement("SELECT " + MergeDecision.COLUMNS
                + " FROM steep_repl.merge_decisions WHERE merge_id = ? AND category = 'conflict'"
                + " ORDER BY table_name, key_text COLLATE \"C\" LIMIT ?")) {
            ps.setString(1, mergeId);
            ps.setInt(2, limit);
            return read(ps, MergeDecision::from);
        }
    }

    private static <T> List<T> read(PreparedStatement ps, RowReader<T> reader) throws SQLException {
        List<T> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(reader.read(rs));
            }
        }
        return rows;
    }
}
