package io.steep.repl.cli.schema;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import io.steep.repl.jdbc.ConnInfo;
import io.steep.repl.jdbc.ConnectionKeywords;
import io.steep.repl.jdbc.ConnectionResolver;
import io.steep.repl.jdbc.ConnectionSpec;
import io.steep.repl.node.NodeRegistry;
import io.steep.repl.node.NodeStatus;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the CLI reaches a registered node: the named connection of the same name when the
 * connections file defines one (the user's own way in, e.g. over a socket), else the host and
 * port the registry holds with the database and user of the -c connection. Either way the
 * password comes from the usual places (PGPASSWORD, ~/.pgpass).
 */
final class NodeConnections {
    private final ConnectionResolver resolver;
    private final ConnectionSpec base;
    private final NodeRegistry registry;

    NodeConnections(ConnectionResolver resolver, ConnectionSpec base, NodeRegistry registry) {
        this.resolver = resolver;
        this.base = base;
        this.registry = registry;
    }

    ConnectionSpec resolve(String nodeId) throws SQLException {
        NodeStatus node = registry.status(nodeId).get(0);
        try {
            return resolver.resolve(nodeId);
        } catch (SteepReplException e) {
            if (!isUnknownName(e)) {
                throw e;
            }
        }
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
