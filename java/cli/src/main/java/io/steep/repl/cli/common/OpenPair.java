package io.steep.repl.cli.common;

import io.steep.repl.cli.output.Output;
import io.steep.repl.jdbc.ConnectionFactory;
import io.steep.repl.jdbc.ConnectionSpec;
import java.sql.Connection;
import java.sql.SQLException;
import picocli.CommandLine.Model.CommandSpec;

/**
 * NODE-A open, and NODE-B as NODE-A's server will reach it. The -c connection is reused when it
 * goes where NODE-A does (the usual {@code -c node-a}).
 *
 * @param nodeA the connection the operation runs on
 * @param peer  the peer parameter for NODE-A's SQL functions ({@link ServerPeer})
 */
public record OpenPair(Connection nodeA, String peer, boolean owned) implements AutoCloseable {

    /**
     * @param base     where the -c connection goes
     * @param registry the -c connection
     */
    public static OpenPair open(CommandSpec spec, NodePair pair, ConnectionSpec base, Connection registry,
            Output output) throws SQLException {
        NodeConnections nodes = NodeConnections.of(spec, base, registry, output);
        ConnectionSpec a = nodes.resolve(pair.nodeA());
        boolean owned = !a.equals(base);
        Connection nodeA = registry;
        if (owned) {
            output.verbose("connecting to " + pair.nodeA() + ": " + a);
            nodeA = ConnectionFactory.open(a);
        }
        try {
            String peer = ServerPeer.of(nodeA, pair.nodeB(), nodes);
            output.verbose("peer of " + pair.nodeA() + ": " + peer);
            return new OpenPair(nodeA, peer, owned);
        } catch (SQLException | RuntimeException e) {
            if (owned) {
                nodeA.close();
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
