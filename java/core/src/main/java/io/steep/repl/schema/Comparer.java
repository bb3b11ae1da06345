package io.steep.repl.schema;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import io.steep.repl.api.ServerSession;
import io.steep.repl.jdbc.ConnectionFactory;
import io.steep.repl.jdbc.ConnectionSpec;
import io.steep.repl.jdbc.Redaction;
import io.steep.repl.peer.NodeConnections;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Runs a comparison the way the request asks for, from where the operation runs (the CLI in
 * direct mode, the daemon in remote mode): it fetches both fingerprint documents itself with the
 * statements of the session's extension and lets the session's node compare them; with
 * viaServer the session's server fetches the peer's document through dblink instead. The
 * comparison is always the extension's.
 */
final class Comparer {
    private final ServerSession session;

    Comparer(ServerSession session) {
        this.session = session;
    }

    /**
     * @param nodes two nodes (named connections or registered node ids), or empty with a peer
     * @param peer  the other side of the session's node, or null with two nodes
     */
    Compared compare(List<String> nodes, String peer, boolean viaServer, SchemaScope scope) throws SQLException {
        Connection connection = session.connection();
        SchemaCompare compare = new SchemaCompare(connection);
        String target = session.target().toString();
        if (peer != null && viaServer) {
            return new Compared(target, Redaction.scrub(peer), compare.compareWithPeer(peer, scope));
        }
        if (session.confined()) {
            // A daemon connects to no node but its own: its server reaches the peer instead.
            throw new SteepReplException(ErrorCode.USAGE, "through a steep-repl daemon, a comparison needs --peer "
                    + "with --via-server: the daemon connects to no node but its own database",
                    "Add --via-server (the daemon's server reaches the peer through dblink), or run the command "
                            + "directly.");
        }
        FingerprintStatements statements = FingerprintStatements.from(connection, scope);
        if (peer != null) {
            ConnectionSpec remote = session.resolver().resolve(peer);
            String document = document(remote, statements);
            return new Compared(target, remote.toString(),
                    compare.compareDocuments(statements.document(connection), document));
        }
        NodeConnections named = NodeConnections.of(session);
        String first = document(named.resolve(nodes.get(0)), statements);
        String second = document(named.resolve(nodes.get(1)), statements);
        return new Compared(nodes.get(0), nodes.get(1), compare.compareDocuments(first, second));
    }

    private String document(ConnectionSpec spec, FingerprintStatements statements) throws SQLException {
        session.verbose().accept("fingerprinting " + spec);
        try (Connection node = ConnectionFactory.open(spec)) {
            return statements.document(node);
        }
    }
}
