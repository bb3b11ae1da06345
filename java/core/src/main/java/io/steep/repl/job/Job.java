package io.steep.repl.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;

/**
 * One row of {@code steep_repl.work_queue}.
 *
 * @param submittedBy the submitting role's name (a dropped role's shows as its OID)
 * @param paramsError why {@code params} could not be read (null when it could): such a job is
 *                    failed with this message instead of being run
 */
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
        JsonNode result,
        String paramsError) {

    /** Reads the current row of a result set whose columns are those of work_queue. */
    public static Job from(ResultSet rs) throws SQLException {
        JsonNode params = null;
        String paramsError = null;
        try {
            params = JsonColumn.read(rs, "params");
        } catch (SQLException e) {
            // Deeper than the JSON parser allows, say: the job must still end, as failed.
            paramsError = "job parameters cannot be read: " + e.getMessage();
        }
        return new Job(
                rs.getLong("id"),
                rs.getString("kind"),
                params,
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
                JsonColumn.read(rs, "result"),
                paramsError);
    }

    public boolean isFinished() {
        return isFinished(status);
    }

    /** Whether a work_queue status is final: complete, failed or cancelled. */
    public static boolean isFinished(String status) {
        return "complete".equals(status) || "failed".equals(status) || "cancelled".equals(status);
    }
}
