package io.steep.repl.node;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The peer names a server resolves by itself (steep_repl._peer_connect): a node registered in
 * its steep_repl.nodes, or one of its foreign servers.
 */
public final class KnownPeers {
    private static final String KNOWS = "SELECT EXISTS (SELECT FROM steep_repl.nodes WHERE node_id = ?) "
            + "OR EXISTS (SELECT FROM pg_catalog.pg_foreign_server WHERE srvname = ?)";

    private KnownPeers() {
    }

    /** Whether the connected server reaches {@code name} without being told how. */
    public static boolean knows(Connection server, String name) throws SQLException {
        try (PreparedStatement ps = server.prepareStatement(KNOWS)) {
            ps.setString(1, name);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
