package io.steep.repl.peer;

import io.steep.repl.api.ServerSession;
import io.steep.repl.jdbc.ConnectionFactory;
import io.steep.repl.jdbc.ConnectionSpec;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * NODE-A open, and NODE-B as NODE-A's server will reach it. The -c connection is reused when it
 * goes where NODE-A does (the usual {@code -c node-a}).
 *
 * @param nodeA the connection the operation runs on
 * @param peer  the peer parameter for NODE-A's SQL functions ({@link ServerPeer})
 */
public record OpenPair(Connection nodeA, String peer, boolean owned) implements AutoCloseable {

    /**
     * @param session the -c session (in remote mode the daemon's), whose registry names nodes
     * @param nodeA   the node that runs the operation
     * @param nodeB   its peer
     */
    public static OpenPair open(ServerSession session, String nodeA, String nodeB) throws SQLException {
        if (session.confined()) {
            // A daemon's session is NODE-A; NODE-B goes to its server as given (ServerPeer.asGiven).
            return new OpenPair(session.connection(), ServerPeer.asGiven(nodeB), false);
        }
        NodeConnections nodes = NodeConnections.of(session);
        ConnectionSpec a = nodes.resolve(nodeA);
        boolean owned = !a.equals(session.target());
        Connection connectionA = session.connection();
        if (owned) {
            session.verbose().accept("connecting to " + nodeA + ": " + a);
            connectionA = ConnectionFactory.open(a);
        }
        try {
            String peer = ServerPeer.of(connectionA, nodeB, nodes);
            session.verbose().accept("peer of " + nodeA + ": " + peer);
            return new OpenPair(connectionA, peer, owned);
        } catch (SQLException | RuntimeException e) {
            if (owned) {
                connectionA.close();
            }
            throw e;
        }
    }

    @Override
    public void close() throws SQLException {
        if (owned) {
            nodeA.close();
        }
    }
}
