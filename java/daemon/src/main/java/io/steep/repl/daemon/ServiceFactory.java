package io.steep.repl.daemon;

import io.grpc.ServerServiceDefinition;
import java.util.List;

/** The gRPC services a daemon serves over its database. */
@FunctionalInterface
public interface ServiceFactory {
    List<ServerServiceDefinition> services(Database database);
}
