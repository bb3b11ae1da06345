package io.steep.repl.cli.node;

import io.steep.repl.ErrorCode;
import io.steep.repl.api.Backend;
import io.steep.repl.cli.ServerCommand;
import io.steep.repl.cli.output.HumanFormat;
import io.steep.repl.cli.output.Output;
import io.steep.repl.cli.output.TextTable;
import io.steep.repl.node.NodeOperations;
import io.steep.repl.node.NodeStatus;
import java.sql.SQLException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code steep-repl node status}: registered nodes and whether their heartbeats are fresh. */
@Command(name = "status",
        description = "Show registered nodes and their heartbeat state: healthy, stale (older than "
                + "steep_repl.heartbeat_stale_after) or no heartbeat.",
        footerHeading = "%nExamples:%n",
        footer = {"  steep-repl node status -c \"host=db1 dbname=app\"",
                "  steep-repl node status node-a --json"})
public final class NodeStatusCommand extends ServerCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "NODE-ID", description = "Only this node (default: all).")
    String nodeId;

    @Override
    protected int run(Backend backend, Output output) throws SQLException {
        List<NodeStatus> nodes = backend.call(NodeOperations.STATUS, new NodeOperations.StatusRequest(nodeId));
        output.showList("nodes", nodes, "no nodes registered", () -> {
            TextTable table = new TextTable("NODE ID", "NAME", "HOST", "PORT", "PRIORITY", "STATE", "LAST HEARTBEAT", "AGE");
            nodes.forEach(n -> table.row(n.nodeId(), n.nodeName(), n.host(), n.port(), n.priority(), n.state(),
                    HumanFormat.timestamp(n.lastHeartbeat()), HumanFormat.duration(n.heartbeatAge())));
            return table.lines();
        });
        return ErrorCode.OK.exitCode();
    }
}
