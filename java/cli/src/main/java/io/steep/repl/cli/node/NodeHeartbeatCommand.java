package io.steep.repl.cli.node;

import io.steep.repl.ErrorCode;
import io.steep.repl.api.Backend;
import io.steep.repl.cli.ServerCommand;
import io.steep.repl.cli.output.Output;
import io.steep.repl.node.Node;
import io.steep.repl.node.NodeOperations;
import java.sql.SQLException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code steep-repl node heartbeat}: records that a node is alive. */
@Command(name = "heartbeat",
        description = "Record a heartbeat for a registered node now.",
        footerHeading = "%nExample:%n",
        footer = "  steep-repl node heartbeat node-a -c \"host=db1 dbname=app\"")
public final class NodeHeartbeatCommand extends ServerCommand {

    @Parameters(index = "0", paramLabel = "NODE-ID", description = "The registered node.")
    String nodeId;

    @Override
    protected int run(Backend backend, Output output) throws SQLException {
        Node node = backend.call(NodeOperations.HEARTBEAT, new NodeOperations.NodeIdRequest(nodeId));
        output.show("node", node, () -> NodeText.lines(node));
        return ErrorCode.OK.exitCode();
    }
}
