package io.steep.repl.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads the current row of a result set whose columns are those of work_queue. */
    public static Job from(ResultSet rs) throws SQLException {
        return new Job(
                rs.getLong("id"),
                rs.getString("kind"),
                json(rs.getString("params")),
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
                json(rs.getString("result")));
    }

    public boolean isFinished() {
        return "complete".equals(status) || "failed".equals(status) || "cancelled".equals(status);
    }

    private static JsonNode json(String text) throws SQLException {
        if (text == null) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new SQLException("work_queue holds invalid JSON: " + e.getMessage(), e);
        }
    }
}
