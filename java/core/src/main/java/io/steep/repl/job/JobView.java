package io.steep.repl.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * One row of the {@code steep_repl.jobs} view: what a user sees of a job (only the jobs
 * row-level security lets them see).
 *
 * @param duration run time so far or in total, or null before the job started
 */
public record JobView(
        long id,
        String kind,
        String status,
        String submittedBy,
        int attempts,
        int maxAttempts,
        boolean cancelRequested,
        OffsetDateTime createdAt,
        OffsetDateTime startedAt,
        OffsetDateTime finishedAt,
        OffsetDateTime heartbeatAt,
        Duration duration,
        String errorMessage,
        JsonNode params,
        JsonNode result) {

    /**
     * A JSON null and SQL NULL are one thing here, Java null: --json writes both as null, and a
     * job read back from that JSON (a daemon's result) must show as it did where it was read
     * (Jackson reads a null tree as a NullNode, which prints "result: null").
     */
    public JobView {
        params = nullIfJsonNull(params);
        result = nullIfJsonNull(result);
    }

    private static JsonNode nullIfJsonNull(JsonNode value) {
        return value == null || value.isNull() ? null : value;
    }

    /** The view's columns, with the duration as seconds so no interval parsing is needed. */
    static final String COLUMNS = "id, kind, status, submitted_by, attempts, max_attempts, cancel_requested, "
            + "created_at, started_at, finished_at, heartbeat_at, "
            + "pg_catalog.date_part('epoch', duration) AS duration_seconds, error_message, params, result";

    static JobView from(ResultSet rs) throws SQLException {
        double seconds = rs.getDouble("duration_seconds");
        Duration duration = rs.wasNull() ? null : Duration.ofNanos(Math.round(seconds * 1e9));
        return new JobView(
                rs.getLong("id"),
                rs.getString("kind"),
                rs.getString("status"),
                rs.getString("submitted_by"),
                rs.getInt("attempts"),
                rs.getInt("max_attempts"),
                rs.getBoolean("cancel_requested"),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("started_at", OffsetDateTime.class),
                rs.getObject("finished_at", OffsetDateTime.class),
                rs.getObject("heartbeat_at", OffsetDateTime.class),
                duration,
                rs.getString("error_message"),
                JsonColumn.read(rs, "params"),
                JsonColumn.read(rs, "result"));
    }

    public boolean isFinished() {
        return Job.isFinished(status);
    }
}
