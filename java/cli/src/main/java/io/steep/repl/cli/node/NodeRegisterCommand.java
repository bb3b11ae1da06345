package io.steep.repl.cli.node;

import io.steep.repl.ErrorCode;
import io.steep.repl.api.Backend;
import io.steep.repl.cli.ServerCommand;
import io.steep.repl.cli.output.Output;
import io.steep.repl.node.Node;
import io.steep.repl.node.NodeOperations;
import java.sql.SQLException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code steep-repl node register}: adds a node, or updates it when it exists. */
@Command(name = "register",
        description = "Register a node in the connected database, or update it when it is already registered "
                + "(its registration time is kept).",
        footerHeading = "%nExample:%n",
        footer = {"  steep-repl node register node-a --name \"Node A\" --host db1.example.com \\",
                "      --port 5432 -c \"host=db1 dbname=app\""})
public final class NodeRegisterCommand extends ServerCommand {

    @Parameters(index = "0", paramLabel = "NODE-ID",
            description = "Node identifier: a letter or digit, then up to 62 letters, digits, '_', '.' or '-'.")
    String nodeId;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "Display name (1 to 128 characters).")
    String name;

    @Option(names = "--host", required = true, paramLabel = "HOST",
            description = "Host name or address other nodes use to reach this node's PostgreSQL.")
    String host;

    @Option(names = "--port", paramLabel = "N", description = "PostgreSQL port of the node (default 5432).")
    Integer port;

    @Option(names = "--priority", paramLabel = "N",
            description = "Priority from 0 to 100 (default 50); higher wins where nodes are ranked.")
    Integer priority;

    @Override
    protected int run(Backend backend, Output output) throws SQLException {
        Node node = backend.call(NodeOperations.REGISTER, new NodeOperations.RegisterRequest(nodeId, name, host, port, priority));
        output.show("node", node, () -> NodeText.lines(node));
        return ErrorCode.OK.exitCode();
    }
}
