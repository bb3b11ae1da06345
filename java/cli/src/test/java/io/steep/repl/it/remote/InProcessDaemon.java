package io.steep.repl.it.remote;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.steep.repl.daemon.Database;
import io.steep.repl.daemon.rpc.OperationServices;
import io.steep.repl.jdbc.ConnectionFactory;
import io.steep.repl.jdbc.ConnectionResolver;
import io.steep.repl.jdbc.ConnectionSpec;
import io.steep.repl.jdbc.Environment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/** The daemon's services on a loopback port of this JVM, over one database: for parity tests. */
final class InProcessDaemon implements AutoCloseable {
    private final Server server;

    InProcessDaemon(String conninfo) {
        ConnectionSpec target = new ConnectionResolver(Environment.system(), w -> { }).resolve(conninfo);
        Database database = new Database() {
            @Override
            public ConnectionSpec target() {
                return target;
            }

            @Override
            public Connection open() throws SQLException {
                return ConnectionFactory.open(target);
            }
        };
        ServerBuilder<?> builder = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create());
        OperationServices.services(database).forEach(builder::addService);
        try {
            server = builder.build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The --remote argument that reaches it. */
    String address() {
        return "127.0.0.1:" + server.getPort();
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
