package io.steep.repl.cli.daemon;

import io.steep.repl.daemon.ServiceFactory;

/**
 * The gRPC services {@code steep-repl daemon run} serves. The operations' services
 * (io.steep.repl.daemon.rpc.OperationServices::services) are wired in here once they exist;
 * until then the daemon serves none.
 */
final class DaemonServices {
    static final ServiceFactory SERVICES = database -> java.util.List.of();

    private DaemonServices() {
    }
}
