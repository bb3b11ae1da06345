package io.steep.repl.cli.node;

import io.steep.repl.cli.output.HumanFormat;
import io.steep.repl.cli.output.KeyValues;
import io.steep.repl.node.Node;
import java.util.List;

/** A node row for people. */
final class NodeText {

    private NodeText() {
    }

    static List<String> lines(Node node) {
        return new KeyValues()
                .add("node id", node.nodeId())
                .add("name", node.nodeName())
                .add("host", node.host())
                .add("port", node.port())
                .add("priority", node.priority())
                .add("registered at", HumanFormat.timestamp(node.registeredAt()))
                .add("registered by", node.registeredBy())
                .add("last heartbeat", node.lastHeartbeat() == null ? "never" : HumanFormat.timestamp(node.lastHeartbeat()))
                .lines();
    }
}
