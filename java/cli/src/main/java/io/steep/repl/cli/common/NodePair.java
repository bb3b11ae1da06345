package io.steep.repl.cli.common;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The two nodes and the tables of a row-level operation ({@code overlap}, {@code merge}): NODE-A
 * runs it (it has the steep_repl and dblink extensions), NODE-B is its peer.
 */
public final class NodePair {
    /** How NODE-B reaches NODE-A's server, for every command that takes a pair; shown in --help. */
    public static final String PEER_RULE = "NODE-B is handed to NODE-A's server as its peer (a bind parameter): as is "
            + "when that server knows the name (a node registered there, or a foreign server with your user mapping), "
            + "else as the host, port, database and user the CLI resolved for it, never with a password: the server "
            + "then needs its own (its ~/.pgpass; dblink allows that to superusers only).";

    // arity 0..2 and a check of our own: with subcommands beside (merge status), picocli must not demand them
    @Parameters(index = "0..1", arity = "0..2", paramLabel = "NODE-A NODE-B", hideParamSyntax = true,
            description = {"Named connections, or nodes registered in steep_repl.nodes of the -c node.",
                    PEER_RULE})
    List<String> nodes = List.of();

    @Option(names = "--tables", split = ",", paramLabel = "TABLE",
            description = "Tables as schema.table, comma-separated (repeatable).")
    List<String> tables = new ArrayList<>();

    /** Why the arguments do not name two nodes and some tables, if they do not. */
    public Optional<String> problem() {
        if (nodes.size() != 2) {
            return Optional.of("give two nodes: NODE-A (which runs it) and NODE-B (its peer)");
        }
        if (tables.isEmpty() || tables.stream().anyMatch(String::isBlank)) {
            return Optional.of("give the tables: --tables schema.table[,schema.table...]");
        }
        return Optional.empty();
    }

    public String nodeA() {
        return nodes.get(0);
    }

    public String nodeB() {
        return nodes.get(1);
    }

    public List<String> tables() {
        return List.copyOf(tables);
    }
}
