package io.steep.repl.cli.schema;

import io.steep.repl.cli.SteepRepl;
import io.steep.repl.peer.NodeConnections;
import io.steep.repl.cli.output.Output;
import io.steep.repl.jdbc.ConnectionFactory;
import io.steep.repl.jdbc.ConnectionResolver;
import io.steep.repl.jdbc.ConnectionSpec;
import io.steep.repl.jdbc.Redaction;
import io.steep.repl.schema.FingerprintStatements;
import io.steep.repl.schema.SchemaCompare;
import io.steep.repl.schema.SchemaScope;
import java.sql.Connection;
import java.sql.SQLException;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Runs a comparison the way the options ask for. The CLI fetches both fingerprint documents
 * itself with the statements of the -c node's extension and lets that node compare them; with
 * --via-server the -c server fetches the peer's document through dblink instead. The comparison
 * is always the extension's.
 */
final class Comparer {
    private final Connection connection;
    private final ConnectionSpec target;
    private final ConnectionResolver resolver;
    private final Output output;

    /**
     * @param connection the -c node, which has the extension
     * @param target     where that connection goes
     */
    Comparer(Connection connection, ConnectionSpec target, ConnectionResolver resolver, Output output) {
        this.connection = connection;
        this.target = target;
        this.resolver = resolver;
        this.output = output;
    }

    /**
     * For a command of the tree under {@code spec}: the -c node as the target, peers resolved with
     * the user's own connection settings, warnings (e.g. about .pgpass) shown once.
     */
    static Comparer of(CommandSpec spec, Connection connection, Output output) {
        SteepRepl root = SteepRepl.of(spec);
        ConnectionSpec target = new ConnectionResolver(root.environment(), w -> { }).resolve(root.connection());
        return new Comparer(connection, target, new ConnectionResolver(root.environment(), output::warning), output);
    }

    Compared compare(ComparisonOptions options, SchemaScope scope) throws SQLException {
        SchemaCompare compare = new SchemaCompare(connection);
        if (options.peer != null && options.viaServer) {
            return new Compared(target.toString(), Redaction.scrub(options.peer), compare.compareWithPeer(options.peer, scope));
        }
        FingerprintStatements statements = FingerprintStatements.from(connection, scope);
        if (options.peer != null) {
            ConnectionSpec peer = resolver.resolve(options.peer);
            String remote = document(peer, statements);
            return new Compared(target.toString(), peer.toString(),
                    compare.compareDocuments(statements.document(connection), remote));
        }
        NodeConnections nodes = new NodeConnections(resolver, target, connection);
        String first = document(nodes.resolve(options.nodes.get(0)), statements);
        String second = document(nodes.resolve(options.nodes.get(1)), statements);
        return new Compared(options.nodes.get(0), options.nodes.get(1), compare.compareDocuments(first, second));
    }

    private String document(ConnectionSpec spec, FingerprintStatements statements) throws SQLException {
        output.verbose("fingerprinting " + spec);
        try (Connection node = ConnectionFactory.open(spec)) {
            return statements.document(node);
        }
    }
}
