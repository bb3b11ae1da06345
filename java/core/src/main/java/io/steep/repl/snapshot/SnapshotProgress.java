package io.steep.repl.snapshot;

import io.steep.repl.run.RunProgress;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * One row of {@code steep_repl.snapshot_progress()}: live numbers from shared memory while a
 * run is running, its history row otherwise.
 *
 * @param eta time left at the current rate, null when unknown
 */
public record SnapshotProgress(
        String snapshotId,
        String op,
        String status,
        String phase,
        Double percent,
        Integer tablesCompleted,
        Integer tablesTotal,
        String currentTable,
        Long rowsDone,
        Long bytesDone,
        Double bytesPerSec,
        Duration eta,
        OffsetDateTime startedAt,
        String errorMessage) implements RunProgress {

    /** The function's columns, with the ETA as seconds so no interval parsing is needed. */
    static final String COLUMNS = "snapshot_id, op, status, phase, percent, tables_completed, tables_total, "
            + "current_table, rows_done, bytes_done, bytes_per_sec, "
            + "pg_catalog.date_part('epoch', eta) AS eta_seconds, started_at, error_message";

    static SnapshotProgress from(ResultSet rs) throws SQLException {
        Double etaSeconds = rs.getObject("eta_seconds", Double.class);
        return new SnapshotProgress(
                rs.getString("snapshot_id"),
                rs.getString("op"),
                rs.getString("status"),
                rs.getString("phase"),
                rs.getObject("percent", Double.class),
                rs.getObject("tables_completed", Integer.class),
                rs.getObject("tables_total", Integer.class),
                rs.getString("current_table"),
                rs.getObject("rows_done", Long.class),
                rs.getObject("bytes_done", Long.class),
                rs.getObject("bytes_per_sec", Double.class),
                etaSeconds == null ? null : Duration.ofMillis(Math.round(etaSeconds * 1000)),
                rs.getObject("started_at", OffsetDateTime.class),
                rs.getString("error_message"));
    }
}
