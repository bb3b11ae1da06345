package io.steep.repl.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steep.repl.run.RunRecord;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;

/**
 * One row of {@code steep_repl.snapshots}: a generate or apply run as its history records it
 * (only the rows row-level security lets the caller see).
 */
public record SnapshotRow(
        String snapshotId,
        String op,
        Long jobId,
        String path,
        String compression,
        int parallel,
        JsonNode options,
        String status,
        String phase,
        Integer tablesTotal,
        Integer tablesCompleted,
        Long rowsTotal,
        Long bytesTotal,
        String lsn,
        String slotName,
        String manifestSha256,
        String submittedBy,
        OffsetDateTime createdAt,
        OffsetDateTime startedAt,
        OffsetDateTime finishedAt,
        String errorMessage) implements RunRecord {

    private static final ObjectMapper JSON = new ObjectMapper();

    static final String COLUMNS = "snapshot_id, op, job_id, path, compression, parallel, options, status, phase, "
            + "tables_total, tables_completed, rows_total, bytes_total, lsn::text AS lsn, slot_name, manifest_sha256, "
            + "submitted_by, created_at, started_at, finished_at, error_message";

    static SnapshotRow from(ResultSet rs) throws SQLException {
        return new SnapshotRow(
                rs.getString("snapshot_id"),
                rs.getString("op"),
                rs.getObject("job_id", Long.class),
                rs.getString("path"),
                rs.getString("compression"),
                rs.getInt("parallel"),
                json(rs.getString("options")),
                rs.getString("status"),
                rs.getString("phase"),
                rs.getObject("tables_total", Integer.class),
                rs.getObject("tables_completed", Integer.class),
                rs.getObject("rows_total", Long.class),
                rs.getObject("bytes_total", Long.class),
                rs.getString("lsn"),
                rs.getString("slot_name"),
                rs.getString("manifest_sha256"),
                rs.getString("submitted_by"),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("started_at", OffsetDateTime.class),
                rs.getObject("finished_at", OffsetDateTime.class),
                rs.getString("error_message"));
    }

    @Override
    public String runId() {
        return snapshotId;
    }

    private static JsonNode json(String text) throws SQLException {
        try {
            return text == null ? null : JSON.readTree(text);
        } catch (IOException e) {
            throw new SQLException("snapshots.options holds invalid JSON: " + e.getMessage(), e);
        }
    }
}
