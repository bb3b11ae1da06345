package io.steep.repl.it.daemon;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.steep.repl.daemon.Daemon;
import io.steep.repl.daemon.ServiceFactory;
import io.steep.repl.daemon.config.ConfigKey;
import io.steep.repl.daemon.config.ConfigLoader;
import io.steep.repl.daemon.config.DaemonConfig;
import io.steep.repl.daemon.grpc.BearerToken;
import io.steep.repl.jdbc.Environment;
import io.steep.repl.proto.v1.CheckHealthRequest;
import io.steep.repl.proto.v1.HealthServiceGrpc;
import io.steep.repl.testkit.PgCluster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Config files, ports, in-process daemons and gRPC clients for the daemon's ITs. */
final class DaemonFixture implements AutoCloseable {
    final Path dir;
    final int grpcPort = freePort();
    final int httpPort = freePort();
    final Path socket;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private Daemon daemon;

    DaemonFixture(Path dir) {
        this.dir = dir;
        this.socket = dir.resolve("run").resolve("daemon.sock");
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The config lines every test needs: free ports, a private socket, the cluster's postgres database (last, so that a test may add a key to its section). */
    String baseYaml(PgCluster cluster) {
        return baseYaml(cluster, "127.0.0.1");
    }

    /** The same with gRPC on another address. */
    String baseYaml(PgCluster cluster, String address) {
        return """
                listen:
                  address: %s
                  port: %d
                http:
                  port: %d
                socket: %s
                shutdown_grace: 2s
                postgres:
                  connection: "%s"
                """.formatted(address, grpcPort, httpPort, socket, cluster.conninfo("postgres", PgCluster.SUPERUSER));
    }

    Path writeConfig(String yaml) {
        try {
            return Files.writeString(dir.resolve("daemon.yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    DaemonConfig load(String yaml, Map<ConfigKey, ConfigLoader.Flag> flags) {
        return new ConfigLoader(new Environment(Map.of(), dir, System.getProperty("user.name"), null, dir), line -> { })
                .load(writeConfig(yaml), flags);
    }

    /** Starts a daemon in this process with the given config; closed with the fixture. */
    Daemon start(String yaml, ServiceFactory services) {
        return start(load(yaml, Map.of()), services);
    }

    Daemon start(DaemonConfig config, ServiceFactory services) {
        daemon = Daemon.start(config, services, "test", new PrintStream(log, true, StandardCharsets.UTF_8));
        return daemon;
    }

    /** What the daemon logged so far. */
    String log() {
        return log.toString(StandardCharsets.UTF_8);
    }

    static ManagedChannel channel(int port, ChannelCredentials credentials) {
        return Grpc.newChannelBuilderForAddress("localhost", port, credentials).build();
    }

    /** HealthService.Check's JSON, with the token in the authorization header when not null. */
    static String check(ManagedChannel channel, String authorization) {
        HealthServiceGrpc.HealthServiceBlockingStub stub = HealthServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(20, TimeUnit.SECONDS);
        if (authorization != null) {
            Metadata headers = new Metadata();
            headers.put(BearerToken.AUTHORIZATION, authorization);
            stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        }
        return stub.check(CheckHealthRequest.getDefaultInstance()).getJson();
    }

    static void shut(ManagedChannel channel) {
        channel.shutdownNow();
    }

    @Override
    public void close() {
        if (daemon != null) {
            daemon.close();
        }
    }
}
