package io.steep.repl.peer;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import io.steep.repl.api.ServerSession;
import io.steep.repl.jdbc.ConnInfo;
import io.steep.repl.jdbc.ConnectionKeywords;
import io.steep.repl.jdbc.ConnectionResolver;
import io.steep.repl.jdbc.ConnectionSpec;
import io.steep.repl.node.NodeRegistry;
import io.steep.repl.node.NodeStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the CLI reaches a node named on its command line: the named connection of that name when
 * the connections file defines one (the user's own way in, e.g. over a socket), else the
 * registered node of that id (steep_repl.nodes of the -c node) at its host and port with the
 * database and user of the -c connection. Either way the password comes from the usual places
 * (PGPASSWORD, ~/.pgpass).
 */
public final class NodeConnections {
    private final ConnectionResolver resolver;
    private final ConnectionSpec base;
    private final Connection registry;

    /**
     * @param base     where the -c connection goes
     * @param registry the -c connection, whose steep_repl.nodes names the registered nodes
     */
    public NodeConnections(ConnectionResolver resolver, ConnectionSpec base, Connection registry) {
        this.resolver = resolver;
        this.base = base;
        this.registry = registry;
    }

    /** For an operation: the session's resolver, target and connection. */
    public static NodeConnections of(ServerSession session) {
        if (session.confined()) {
            throw new SteepReplException(ErrorCode.ERROR, "a steep-repl daemon connects to no node but its own database",
                    "Name the other node so that the daemon's server reaches it (a node registered there or a "
                            + "foreign server), or run the command directly.");
        }
        return new NodeConnections(session.resolver(), session.target(), session.connection());
    }

    public ConnectionSpec resolve(String nodeId) throws SQLException {
        try {
            return resolver.resolve(nodeId);
        } catch (SteepReplException e) {
            if (!isUnknownName(e)) {
                throw e;
            }
        }
        NodeStatus node = new NodeRegistry(registry).status(nodeId).get(0);
        Map<String, String> params = new LinkedHashMap<>();
        params.put(ConnectionKeywords.HOST, node.host());
        params.put(ConnectionKeywords.PORT, Integer.toString(node.port()));
        params.put(ConnectionKeywords.DBNAME, base.dbname());
        params.put(ConnectionKeywords.USER, base.user());
        if (base.sslmode() != null) {
            params.put(ConnectionKeywords.SSLMODE, base.sslmode());
        }
        return resolver.resolve(new ConnInfo(params, ConnInfo.Form.KEYWORDS, null));
    }

    /** The resolver's answer for a name the connections file does not define (any other problem counts). */
    private static boolean isUnknownName(SteepReplException e) {
        return e.code() == ErrorCode.USAGE && e.getMessage().startsWith("unknown connection name");
    }
}
