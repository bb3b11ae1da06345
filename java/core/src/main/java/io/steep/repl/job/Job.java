package io.steep.repl.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;

/** One row of {@code steep_repl.work_queue}. */
public record Job(
        long id,
        String kind,
        JsonNode params,
        String status,
        String submittedBy,
        int attempts,
        int maxAttempts,
        boolean cancelRequested,
        OffsetDateTime createdAt,
        OffsetDateTime runAfter,
        OffsetDateTime startedAt,
        OffsetDateTime finishedAt,
        OffsetDateTime heartbeatAt,
        Integer workerPid,
        String errorMessage,
        JsonNode result) {

    /** Reads the current row of a result set whose columns are those of work_queue. */
    public static Job from(ResultSet rs) throws SQLException {
        return new Job(
                rs.getLong("id"),
                rs.getString("kind"),
                JsonColumn.read(rs, "params"),
                rs.getString("status"),
                rs.getString("submitted_by"),
                rs.getInt("attempts"),
                rs.getInt("max_attempts"),
                rs.getBoolean("cancel_requested"),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("run_after", OffsetDateTime.class),
                rs.getObject("started_at", OffsetDateTime.class),
                rs.getObject("finished_at", OffsetDateTime.class),
                rs.getObject("heartbeat_at", OffsetDateTime.class),
                (Integer) rs.getObject("worker_pid"),
                rs.getString("error_message"),
                JsonColumn.read(rs, "result"));
    }

    public boolean isFinished() {
        return isFinished(status);
    }

    /** Whether a work_queue status is final: complete, failed or cancelled. */
    public static boolean isFinished(String status) {
        return "complete".equals(status) || "failed".equals(status) || "cancelled".equals(status);
    }
}
