package io.steep.repl.node;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;

/** One row of {@code steep_repl.nodes}. */
public record Node(
        String nodeId,
        String nodeName,
        String host,
        int port,
        int priority,
        OffsetDateTime registeredAt,
        String registeredBy,
        OffsetDateTime lastHeartbeat) {

    static Node from(ResultSet rs) throws SQLException {
        return new Node(
                rs.getString("node_id"),
                rs.getString("node_name"),
                rs.getString("host"),
                rs.getInt("port"),
                rs.getInt("priority"),
                rs.getObject("registered_at", OffsetDateTime.class),
                rs.getString("registered_by"),
                rs.getObject("last_heartbeat", OffsetDateTime.class));
    }
}
