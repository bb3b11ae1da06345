package io.steep.repl.merge;

import com.fasterxml.jackson.databind.JsonNode;
import io.steep.repl.job.JsonColumn;
import io.steep.repl.run.RunRecord;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

/**
 * One row of {@code steep_repl.merge_audit_log}: a merge run as its history records it, with
 * what the analyses under its locks found and what it did (or, in a dry run, would do).
 *
 * @param peer the peer as messages name it, never with a password
 */
public record MergeRecord(
        String mergeId,
        Long jobId,
        String peer,
        List<String> tables,
        String strategy,
        boolean dryRun,
        JsonNode options,
        String status,
        String phase,
        Integer tablesTotal,
        Integer tablesCompleted,
        long matches,
        long localOnly,
        long remoteOnly,
        long conflicts,
        long rowsToPeer,
        long rowsToLocal,
        long conflictsResolved,
        long conflictsLeft,
        String submittedBy,
        OffsetDateTime createdAt,
        OffsetDateTime startedAt,
        OffsetDateTime finishedAt,
        String errorMessage) implements RunRecord {

    static final String COLUMNS = "merge_id, job_id, peer, tables, strategy, dry_run, options, status, phase, "
            + "tables_total, tables_completed, matches, local_only, remote_only, conflicts, rows_to_peer, "
            + "rows_to_local, conflicts_resolved, conflicts_left, submitted_by::text AS submitted_by, created_at, "
            + "started_at, finished_at, error_message";

    static MergeRecord from(ResultSet rs) throws SQLException {
        return new MergeRecord(
                rs.getString("merge_id"),
                rs.getObject("job_id", Long.class),
                rs.getString("peer"),
                texts(rs.getArray("tables")),
                rs.getString("strategy"),
                rs.getBoolean("dry_run"),
                JsonColumn.read(rs, "options"),
                rs.getString("status"),
                rs.getString("phase"),
                rs.getObject("tables_total", Integer.class),
                rs.getObject("tables_completed", Integer.class),
                rs.getLong("matches"),
                rs.getLong("local_only"),
                rs.getLong("remote_only"),
                rs.getLong("conflicts"),
                rs.getLong("rows_to_peer"),
                rs.getLong("rows_to_local"),
                rs.getLong("conflicts_resolved"),
                rs.getLong("conflicts_left"),
                rs.getString("submitted_by"),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("started_at", OffsetDateTime.class),
                rs.getObject("finished_at", OffsetDateTime.class),
                rs.getString("error_message"));
    }

    @Override
    public String runId() {
        return mergeId;
    }

    static List<String> texts(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        try {
            return Arrays.asList((String[]) array.getArray());
        } finally {
            array.free();
        }
    }
}
