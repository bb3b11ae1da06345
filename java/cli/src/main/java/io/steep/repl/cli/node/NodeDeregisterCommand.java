package io.steep.repl.cli.node;

import io.steep.repl.ErrorCode;
import io.steep.repl.api.Backend;
import io.steep.repl.cli.ServerCommand;
import io.steep.repl.cli.output.Output;
import io.steep.repl.node.Node;
import io.steep.repl.node.NodeOperations;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code steep-repl node deregister}: removes a node from the registry. */
@Command(name = "deregister",
        description = "Remove a node from the registry and show the row as it was.",
        footerHeading = "%nExample:%n",
        footer = "  steep-repl node deregister node-a -c \"host=db1 dbname=app\"")
public final class NodeDeregisterCommand extends ServerCommand {

    @Parameters(index = "0", paramLabel = "NODE-ID", description = "The registered node.")
    String nodeId;

    @Override
    protected int run(Backend backend, Output output) throws SQLException {
        Node node = backend.call(NodeOperations.DEREGISTER, new NodeOperations.NodeIdRequest(nodeId));
        output.show("node", node, () -> {
            List<String> lines = new ArrayList<>();
            lines.add("deregistered node " + node.nodeId());
            lines.addAll(NodeText.lines(node));
            return lines;
        });
        return ErrorCode.OK.exitCode();
    }
}
