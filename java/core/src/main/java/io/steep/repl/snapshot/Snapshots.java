package io.steep.repl.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import io.steep.repl.jdbc.ExtensionCheck;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Snapshot runs as a user drives them, through the extension's functions
 * (docs/snapshots.md, SQL API): start a generate or an apply, follow, cancel, list. Needs an
 * autocommit connection: a run is invisible to the worker until its start is committed.
 */
public final class Snapshots {
    /** The channel the worker announces progress on. */
    public static final String PROGRESS_CHANNEL = "steep_repl_progress";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connection connection;

    /** Fails when the connected database lacks the extension. */
    public Snapshots(Connection connection) throws SQLException {
        ExtensionCheck.require(connection);
        this.connection = connection;
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
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT " + SnapshotRow.COLUMNS + " FROM steep_repl.snapshots WHERE snapshot_id = ?")) {
            ps.setString(1, snapshotId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(SnapshotRow.from(rs)) : Optional.empty();
            }
        }
    }

    /** A visible run, or a clear error naming where to look. */
    public SnapshotRow get(String snapshotId) throws SQLException {
        return find(snapshotId).orElseThrow(() -> notFound(snapshotId));
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
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT " + SnapshotProgress.COLUMNS + " FROM steep_repl.snapshot_progress(?)")) {
            ps.setString(1, snapshotId);
            List<SnapshotProgress> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(SnapshotProgress.from(rs));
                }
            }
            return rows;
        }
    }

    /** Cancels a run: a pending one at once, a running one by request. Notices go to {@code notices}. */
    public SnapshotRow cancel(String snapshotId, Consumer<String> notices) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT snapshot_id FROM steep_repl.cancel_snapshot(?)")) {
            ps.setString(1, snapshotId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
            }
            for (SQLWarning w = ps.getWarnings(); w != null; w = w.getNextWarning()) {
                notices.accept(w.getMessage());
            }
        }
        return get(snapshotId);
    }

    /** Starts receiving the worker's progress notifications on this connection. */
    public void listen() throws SQLException {
        execute("LISTEN " + PROGRESS_CHANNEL);
    }

    public void unlisten() throws SQLException {
        execute("UNLISTEN " + PROGRESS_CHANNEL);
    }

    /**
     * Waits up to {@code millis} for progress notifications and tells whether one was about
     * {@code run} (by snapshot id or job id). Notifications can be lost (a reconnect, a full
     * queue), so callers re-read the run now and then anyway.
     */
    public boolean awaitNews(SnapshotRow run, int millis) throws SQLException {
        PGNotification[] notifications = connection.unwrap(PGConnection.class).getNotifications(Math.max(1, millis));
        boolean news = false;
        if (notifications != null) {
            for (PGNotification n : notifications) {
                news |= PROGRESS_CHANNEL.equals(n.getName()) && isAbout(n.getParameter(), run);
            }
        }
        return news;
    }

    static boolean isAbout(String payload, SnapshotRow run) {
        try {
            JsonNode message = JSON.readTree(payload);
            if (message == null || !message.isObject()) {
                return false;
            }
            JsonNode snapshotId = message.get("snapshot_id");
            JsonNode jobId = message.get("job_id");
            return (snapshotId != null && snapshotId.asText().equals(run.snapshotId()))
                    || (jobId != null && run.jobId() != null && jobId.canConvertToLong() && jobId.asLong() == run.jobId());
        } catch (IOException e) {
            return false;
        }
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

    private void execute(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    private static SteepReplException notFound(String snapshotId) {
        return new SteepReplException(ErrorCode.ERROR, "snapshot " + snapshotId + " does not exist",
                "A role sees only its own snapshot runs (members of pg_monitor see all); "
                        + "steep-repl snapshot list shows the visible ones.");
    }
}
