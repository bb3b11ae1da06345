package io.steep.repl.daemon;

import io.grpc.ServerServiceDefinition;
import java.util.List;
import java.util.function.BooleanSupplier;

/** The gRPC services a daemon serves over its database. */
@FunctionalInterface
public interface ServiceFactory {
    List<ServerServiceDefinition> services(Database database);

    /**
     * The services, for a daemon that says through {@code stopping} when it stops: a service
     * with long calls (progress streams) ends them then rather than at the end of the grace.
     */
    default List<ServerServiceDefinition> services(Database database, BooleanSupplier stopping) {
        return services(database);
    }
}
