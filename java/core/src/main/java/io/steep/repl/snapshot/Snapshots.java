package io.steep.repl.snapshot;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.steep.repl.jdbc.ExtensionCheck;
import io.steep.repl.run.RunKind;
import io.steep.repl.run.Runs;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Snapshot runs as a user drives them, through the extension's functions
 * (docs/snapshots.md, SQL API): start a generate or an apply, list; following and cancelling
 * are every run's ({@link Runs}). Needs an autocommit connection: a run is invisible to the
 * worker until its start is committed.
 */
public final class Snapshots {
    /** Snapshot runs for {@link Runs}. */
    public static final RunKind<SnapshotRow, SnapshotProgress> KIND = new RunKind<>("snapshot", "snapshot_id",
            "SELECT " + SnapshotRow.COLUMNS + " FROM steep_repl.snapshots WHERE snapshot_id = ?", SnapshotRow::from,
            "SELECT " + SnapshotProgress.COLUMNS + " FROM steep_repl.snapshot_progress(?)", SnapshotProgress::from,
            "SELECT snapshot_id FROM steep_repl.cancel_snapshot(?)",
            "A role sees only its own snapshot runs (members of pg_monitor see all); "
                    + "steep-repl snapshot list shows the visible ones.");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connection connection;
    private final Runs<SnapshotRow, SnapshotProgress> runs;

    /** Fails when the connected database lacks the extension. */
    public Snapshots(Connection connection) throws SQLException {
        ExtensionCheck.require(connection);
        this.connection = connection;
        this.runs = new Runs<>(connection, KIND);
    }

    /** Following, progress and cancelling, as for every kind of run. */
    public Runs<SnapshotRow, SnapshotProgress> runs() {
        return runs;
    }

    /**
     * Starts generating a snapshot of the connected database into a server directory.
     *
     * @param compression none, gzip, lz4 or zstd, optionally with {@code :level}
     * @param options     the options object (docs/snapshots.md), e.g. {@code node_id -> node-a}
     */
    public SnapshotRow generate(String path, String compression, int parallel, Map<String, ?> options)
            throws SQLException {
        return start("SELECT snapshot_id FROM steep_repl.start_snapshot(?, ?, ?, CAST(? AS jsonb))",
                path, compression, parallel, JSON.valueToTree(options).toString());
    }

    /** Starts loading a snapshot directory into the connected database. */
    public SnapshotRow apply(String path, int parallel, boolean verify, Map<String, ?> options) throws SQLException {
        return start("SELECT snapshot_id FROM steep_repl.start_apply(?, ?, ?, CAST(? AS jsonb))",
                path, parallel, verify, JSON.valueToTree(options).toString());
    }

    /** A visible run. */
    public Optional<SnapshotRow> find(String snapshotId) throws SQLException {
        return runs.find(snapshotId);
    }

    /** A visible run, or a clear error naming where to look. */
    public SnapshotRow get(String snapshotId) throws SQLException {
        return runs.get(snapshotId);
    }

    /** The newest visible runs first. */
    public List<SnapshotRow> list(int limit) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT " + SnapshotRow.COLUMNS
                + " FROM steep_repl.snapshots ORDER BY created_at DESC, snapshot_id DESC LIMIT ?")) {
            ps.setInt(1, limit);
            List<SnapshotRow> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(SnapshotRow.from(rs));
                }
            }
            return rows;
        }
    }

    /**
     * Progress of one run, or of every pending and running one.
     *
     * @param snapshotId null for every unfinished run
     */
    public List<SnapshotProgress> progress(String snapshotId) throws SQLException {
        return runs.progress(snapshotId);
    }

    /** Cancels a run: a pending one at once, a running one by request. Notices go to {@code notices}. */
    public SnapshotRow cancel(String snapshotId, Consumer<String> notices) throws SQLException {
        return runs.cancel(snapshotId, notices);
    }

    private SnapshotRow start(String sql, Object... args) throws SQLException {
        String id;
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                id = rs.getString(1);
            }
        }
        return get(id);
    }
}
