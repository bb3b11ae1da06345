package io.steep.repl.cli.node;

import io.steep.repl.ErrorCode;
import io.steep.repl.cli.DirectCommand;
import io.steep.repl.cli.output.Output;
import io.steep.repl.node.Node;
import io.steep.repl.node.NodeRegistry;
import java.sql.Connection;
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
public final class NodeDeregisterCommand extends DirectCommand {

    @Parameters(index = "0", paramLabel = "NODE-ID", description = "The registered node.")
    String nodeId;

    @Override
    protected int run(Connection connection, Output output) throws SQLException {
        Node node = new NodeRegistry(connection).deregister(nodeId);
        output.show("node", node, () -> {
            List<String> lines = new ArrayList<>();
            lines.add("deregistered node " + node.nodeId());
            lines.addAll(NodeText.lines(node));
            return lines;
        });
        return ErrorCode.OK.exitCode();
    }
}
