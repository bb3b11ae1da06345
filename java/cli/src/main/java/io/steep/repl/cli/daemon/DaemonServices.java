package io.steep.repl.cli.daemon;

import io.grpc.ServerServiceDefinition;
import io.steep.repl.daemon.Database;
import io.steep.repl.daemon.ServiceFactory;
import io.steep.repl.daemon.rpc.OperationServices;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The gRPC services {@code steep-repl daemon run} serves: every operation of the steep.repl.v1
 * contract; progress streams end as soon as the daemon stops (their runs go on).
 */
final class DaemonServices implements ServiceFactory {
    static final ServiceFactory SERVICES = new DaemonServices();

    private DaemonServices() {
    }

    @Override
    public List<ServerServiceDefinition> services(Database database) {
        return OperationServices.services(database);
    }

    @Override
    public List<ServerServiceDefinition> services(Database database, BooleanSupplier stopping) {
        return OperationServices.services(database, stopping);
    }
}
