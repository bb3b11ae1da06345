package io.steep.repl.peer;

import io.steep.repl.jdbc.ConnInfo;
import io.steep.repl.jdbc.ConnectionKeywords;
import io.steep.repl.jdbc.ConnectionSpec;
import io.steep.repl.jdbc.Redaction;
import io.steep.repl.node.KnownPeers;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * NODE-B as NODE-A's server will reach it (docs/overlap.md, "Nodes"). A name the server knows
 * (its registered node, its foreign server) goes as is: the server's own way there, and a
 * foreign server's user mapping keeps the password out of every message. Any other node is
 * one only this CLI knows (a named connection, a node registered on -c only): it goes as the
 * host, port, database, user and sslmode the CLI resolved, without the password the CLI may
 * have found in the user's PGPASSWORD or ~/.pgpass; handing that to the server would put it
 * where the server log or another role might see it.
 */
public final class ServerPeer {
    private ServerPeer() {
    }

    /**
     * @param server NODE-A, which will reach the peer
     * @param nodeB  the peer as given on the command line
     * @return the text for the SQL function's peer parameter (always a bind parameter)
     */
    public static String of(Connection server, String nodeB, NodeConnections nodes) throws SQLException {
        if (KnownPeers.knows(server, nodeB)) {
            return nodeB;
        }
        return withoutPassword(nodes.resolve(nodeB));
    }

    /**
     * NODE-B as a daemon's client gave it, for the daemon's database to reach by its own means
     * (a node registered there, a foreign server, or a connection string, which dblink allows
     * superusers only); the daemon resolves nothing itself. A connection string keeps where it
     * goes and loses everything else, a password first, as in direct mode: the server must
     * authenticate by its own means.
     */
    static String asGiven(String nodeB) {
        if (!ConnInfo.isConnectionString(nodeB)) {
            return nodeB;
        }
        Map<String, String> where = new LinkedHashMap<>();
        ConnInfo.parse(nodeB).params().forEach((keyword, value) -> {
            if (WHERE.contains(keyword)) {
                where.put(keyword, value);
            }
        });
        return Redaction.keywordForm(where);
    }

    /** What of a connection string says where it goes (and how securely), not who proves what. */
    private static final Set<String> WHERE = Set.of(ConnectionKeywords.HOST, ConnectionKeywords.HOSTADDR,
            ConnectionKeywords.PORT, ConnectionKeywords.DBNAME, ConnectionKeywords.USER, ConnectionKeywords.SSLMODE);

    /** libpq keyword form of where a connection goes; {@link Redaction#describe} leaves out a null password. */
    static String withoutPassword(ConnectionSpec spec) {
        return Redaction.describe(new ConnectionSpec(spec.endpoints(), spec.dbname(), spec.user(), null, null,
                spec.sslmode(), null, null, null, null, null, null, null, null));
    }
}
