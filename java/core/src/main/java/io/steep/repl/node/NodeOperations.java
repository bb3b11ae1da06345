package io.steep.repl.node;

import com.fasterxml.jackson.core.type.TypeReference;
import io.steep.repl.api.Operation;
import java.util.List;

/** The node registry's operations ({@code steep-repl node ...}; gRPC NodeService). */
public final class NodeOperations {

    /** Registers or updates a node; null port and priority take the server's defaults. */
    public record RegisterRequest(String nodeId, String name, String host, Integer port, Integer priority) {
    }

    /** One registered node. */
    public record NodeIdRequest(String nodeId) {
    }

    /** @param nodeId only this node; null for all */
    public record StatusRequest(String nodeId) {
    }

    public static final Operation<RegisterRequest, Node> REGISTER = Operation.of("NodeService/Register",
            RegisterRequest.class, new TypeReference<>() { },
            (session, q) -> new NodeRegistry(session.connection()).register(q.nodeId(), q.name(), q.host(), q.port(),
                    q.priority()));

    public static final Operation<NodeIdRequest, Node> HEARTBEAT = Operation.of("NodeService/Heartbeat",
            NodeIdRequest.class, new TypeReference<>() { },
            (session, q) -> new NodeRegistry(session.connection()).heartbeat(q.nodeId()));

    public static final Operation<StatusRequest, List<NodeStatus>> STATUS = Operation.of("NodeService/Status",
            StatusRequest.class, new TypeReference<>() { },
            (session, q) -> new NodeRegistry(session.connection()).status(q.nodeId()));

    public static final Operation<NodeIdRequest, Node> DEREGISTER = Operation.of("NodeService/Deregister",
            NodeIdRequest.class, new TypeReference<>() { },
            (session, q) -> new NodeRegistry(session.connection()).deregister(q.nodeId()));

    private NodeOperations() {
    }
}
