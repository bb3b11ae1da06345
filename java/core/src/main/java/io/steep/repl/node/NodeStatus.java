package io.steep.repl.node;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * One row of {@code steep_repl.node_status()}.
 *
 * @param heartbeatAge time since the last heartbeat, or null before the first one
 * @param state        {@code healthy}, {@code stale} or {@code no heartbeat}
 */
public record NodeStatus(
        String nodeId,
        String nodeName,
        String host,
        int port,
        int priority,
        OffsetDateTime registeredAt,
        OffsetDateTime lastHeartbeat,
        Duration heartbeatAge,
        boolean isHealthy,
        String state) {

    /** Reads a row whose heartbeat age was selected as seconds, column {@code heartbeat_age_seconds}. */
    static NodeStatus from(ResultSet rs) throws SQLException {
        double ageSeconds = rs.getDouble("heartbeat_age_seconds");
        Duration age = rs.wasNull() ? null : Duration.ofNanos(Math.round(ageSeconds * 1e9));
        return new NodeStatus(
                rs.getString("node_id"),
                rs.getString("node_name"),
                rs.getString("host"),
                rs.getInt("port"),
                rs.getInt("priority"),
                rs.getObject("registered_at", OffsetDateTime.class),
                rs.getObject("last_heartbeat", OffsetDateTime.class),
                age,
                rs.getBoolean("is_healthy"),
                rs.getString("state"));
    }
}
