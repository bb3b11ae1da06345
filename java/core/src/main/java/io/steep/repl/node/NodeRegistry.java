package io.steep.repl.node;

import io.steep.repl.jdbc.ExtensionCheck;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * The node registry, through the extension's functions (which validate, audit and check
 * privileges); nothing here writes steep_repl.nodes directly.
 */
public final class NodeRegistry {
    private static final String STATUS = "SELECT node_id, node_name, host, port, priority, registered_at, "
            + "last_heartbeat, pg_catalog.date_part('epoch', heartbeat_age) AS heartbeat_age_seconds, is_healthy, "
            + "state FROM steep_repl.node_status(?) ORDER BY node_id";

    private final Connection connection;

    /** Fails when the connected database lacks the extension. */
    public NodeRegistry(Connection connection) throws SQLException {
        ExtensionCheck.require(connection);
        this.connection = connection;
    }

    /**
     * Registers a node, or updates it when it exists.
     *
     * @param port     null for the function's default (5432)
     * @param priority null for the function's default (50)
     */
    public Node register(String nodeId, String nodeName, String host, Integer port, Integer priority)
            throws SQLException {
        String sql = "SELECT * FROM steep_repl.register_node(p_node_id => ?, p_node_name => ?, p_host => ?"
                + (port == null ? "" : ", p_port => ?")
                + (priority == null ? "" : ", p_priority => ?") + ")";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, nodeId);
            ps.setString(i++, nodeName);
            ps.setString(i++, host);
            if (port != null) {
                ps.setInt(i++, port);
            }
            if (priority != null) {
                ps.setInt(i, priority);
            }
            return single(ps);
        }
    }

    /** Records a heartbeat now; an unknown node is an error with a hint from the server. */
    public Node heartbeat(String nodeId) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT * FROM steep_repl.heartbeat(?)")) {
            ps.setString(1, nodeId);
            return single(ps);
        }
    }

    /** The status of one node, or of every node when nodeId is null. */
    public List<NodeStatus> status(String nodeId) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(STATUS)) {
            if (nodeId == null) {
                ps.setNull(1, Types.VARCHAR);
            } else {
                ps.setString(1, nodeId);
            }
            List<NodeStatus> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(NodeStatus.from(rs));
                }
            }
            return rows;
        }
    }

    /** Removes a node and returns the row as it was. */
    public Node deregister(String nodeId) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT * FROM steep_repl.deregister_node(?)")) {
            ps.setString(1, nodeId);
            return single(ps);
        }
    }

    private static Node single(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("the function returned no row");
            }
            return Node.from(rs);
        }
    }
}
