package io.steep.repl.daemon.rpc;

import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.steep.repl.proto.v1.HealthServiceGrpc;
import io.steep.repl.proto.v1.JobServiceGrpc;
import io.steep.repl.proto.v1.MergeServiceGrpc;
import io.steep.repl.proto.v1.NodeServiceGrpc;
import io.steep.repl.proto.v1.OverlapServiceGrpc;
import io.steep.repl.proto.v1.SchemaServiceGrpc;
import io.steep.repl.proto.v1.SnapshotServiceGrpc;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The services of the steep.repl.v1 contract (java/proto), as generated from the .proto files. */
public final class Contract {
    /** Every service the daemon serves. */
    public static final List<ServiceDescriptor> SERVICES = List.of(
            NodeServiceGrpc.getServiceDescriptor(),
            HealthServiceGrpc.getServiceDescriptor(),
            JobServiceGrpc.getServiceDescriptor(),
            SchemaServiceGrpc.getServiceDescriptor(),
            OverlapServiceGrpc.getServiceDescriptor(),
            MergeServiceGrpc.getServiceDescriptor(),
            SnapshotServiceGrpc.getServiceDescriptor());

    private static final Map<String, MethodDescriptor<?, ?>> METHODS = index();

    private Contract() {
    }

    /** The method of a full name, e.g. {@code steep.repl.v1.NodeService/Status}. */
    @SuppressWarnings("unchecked")
    public static <Q extends Message, R extends Message> MethodDescriptor<Q, R> method(String fullName) {
        MethodDescriptor<?, ?> method = METHODS.get(fullName);
        if (method == null) {
            throw new IllegalArgumentException("no method " + fullName + " in the steep.repl.v1 contract");
        }
        return (MethodDescriptor<Q, R>) method;
    }

    /** A new builder of the method's request message (every method here has a protobuf marshaller). */
    public static Message.Builder requestBuilder(MethodDescriptor<?, ?> method) {
        Object prototype = ((MethodDescriptor.PrototypeMarshaller<?>) method.getRequestMarshaller()).getMessagePrototype();
        return ((Message) prototype).newBuilderForType();
    }

    private static Map<String, MethodDescriptor<?, ?>> index() {
        Map<String, MethodDescriptor<?, ?>> methods = new LinkedHashMap<>();
        for (ServiceDescriptor service : SERVICES) {
            for (MethodDescriptor<?, ?> method : service.getMethods()) {
                methods.put(method.getFullMethodName(), method);
            }
        }
        return methods;
    }
}
