package io.steep.repl.cli.schema;

import io.steep.repl.schema.SchemaOperations;
import io.steep.repl.schema.SchemaScope;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** Which two nodes to compare, and what counts; shared by {@code schema compare} and {@code schema diff}. */
public final class ComparisonOptions {

    @Parameters(arity = "0..2", paramLabel = "NODE-ID",
            description = {"Two nodes: named connections, or nodes registered in steep_repl.nodes of the -c "
                    + "node. The CLI connects to each itself: through the named connection when the connections "
                    + "file has one, else at the registered host and port with the database and user of -c; "
                    + "passwords come from PGPASSWORD or ~/.pgpass as usual."})
    List<String> nodes = List.of();

    @Option(names = "--peer", paramLabel = "CONN",
            description = "Compare the -c node (local) with this one (remote): a connection string, URI or "
                    + "connection name, reached from here with your own credentials.")
    String peer;

    @Option(names = "--via-server",
            description = "With --peer: let the -c server reach the peer through dblink "
                    + "(steep_repl.compare_schema); CONN is then a registered node id, a foreign server with a "
                    + "user mapping, or a connection string the server can use (sent as a bind parameter).")
    boolean viaServer;

    @Option(names = "--schema", paramLabel = "SCHEMA", description = "Only this schema (repeatable; default: all).")
    List<String> schemas;

    @Option(names = "--column-order", description = "Report columns in a different order (ignored by default).")
    boolean columnOrder;

    @Option(names = "--names", description = "Report different index, constraint and sequence names.")
    boolean names;

    /** Why the options do not name two nodes exactly one way, if they do not. */
    Optional<String> problem() {
        if (peer != null && !nodes.isEmpty()) {
            return Optional.of("give either two node ids or --peer, not both");
        }
        if (peer == null && nodes.size() != 2) {
            return Optional.of("give two node ids (NODE-ID NODE-ID) or --peer CONN");
        }
        if (viaServer && peer == null) {
            return Optional.of("--via-server needs --peer");
        }
        return Optional.empty();
    }

    void check(Function<String, ParameterException> usage) {
        problem().ifPresent(message -> {
            throw usage.apply(message);
        });
    }

    SchemaScope scope() {
        return new SchemaScope(schemas, columnOrder, names);
    }

    SchemaOperations.CompareRequest compareRequest() {
        return new SchemaOperations.CompareRequest(nodes, peer, viaServer, scope());
    }

    SchemaOperations.DiffRequest diffRequest(String table) {
        return new SchemaOperations.DiffRequest(table, nodes, peer, viaServer, scope());
    }
}
