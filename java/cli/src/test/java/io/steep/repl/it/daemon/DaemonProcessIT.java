package io.steep.repl.it.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.ClientCalls;
import io.steep.repl.ErrorCode;
import io.steep.repl.cli.CliDriver;
import io.steep.repl.daemon.Daemon;
import io.steep.repl.daemon.tls.TlsInit;
import io.steep.repl.proto.v1.CheckHealthRequest;
import io.steep.repl.proto.v1.RunEvent;
import io.steep.repl.testkit.PgCluster;
import io.steep.repl.testkit.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon as a process: {@code steep-repl daemon run} starts nothing on a bad config (exit 2,
 * the key named), runs until SIGTERM and then exits 0, ending a stream still open at the end of
 * the grace with UNAVAILABLE "daemon shutting down".
 */
class DaemonProcessIT {
    private static PgCluster cluster;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        cluster = PgCluster.builder().name("daemon-process").preload(false).start();
        cluster.createExtension("postgres");
    }

    @AfterAll
    static void stop() {
        PgCluster.closeAll(cluster);
    }

    @Test
    void aBadConfigFileStartsNothingExitsTwoAndNamesTheKey() throws Exception {
        DaemonFixture fixture = new DaemonFixture(dir);
        Path config = fixture.writeConfig(fixture.baseYaml(cluster) + "tls:\n  cert: /nonexistent/server.crt\n  key: x\n");

        try (DaemonProcess daemon = DaemonProcess.jar("daemon", "run", "--config", config.toString())) {
            assertThat(daemon.awaitExit(Duration.ofSeconds(60))).isEqualTo(ErrorCode.USAGE.exitCode());
            assertThat(daemon.stderr()).startsWith("error: tls.cert: file /nonexistent/server.crt does not exist\nhint: ");
        }
        assertThat(DaemonSecurityIT.listening(fixture.grpcPort)).isFalse();
        assertThat(DaemonSecurityIT.listening(fixture.httpPort)).isFalse();
        assertThat(fixture.socket).doesNotExist();
    }

    @Test
    void everyBadConfigIsAUsageErrorNamingTheKeyInProcess() throws Exception {
        DaemonFixture fixture = new DaemonFixture(dir);
        String[][] cases = {
            {"listen:\n  port: 99999\n", "error: listen.port: must be between 1 and 65535"},
            {"listen:\n  address: 0.0.0.0\n", "error: listen.address: 0.0.0.0 is not a loopback address"},
            {"shutdown_grace: soon\n", "error: shutdown_grace: must be a duration between 0s and 1h"},
            {"htp:\n  port: 1\n", "error: htp: unknown key"},
        };
        for (String[] c : cases) {
            Path config = fixture.writeConfig(c[0]);
            CliDriver.Result result = new CliDriver(dir).run("daemon", "run", "--config", config.toString());

            assertThat(result.exitCode()).as(c[0]).isEqualTo(ErrorCode.USAGE.exitCode());
            assertThat(result.stderr()).as(c[0]).startsWith(c[1]).contains("hint: ");
        }
        CliDriver.Result missing = new CliDriver(dir).run("daemon", "run", "--config", dir.resolve("nope.yaml").toString());
        assertThat(missing.exitCode()).isEqualTo(ErrorCode.USAGE.exitCode());
        assertThat(missing.stderr()).contains("nope.yaml does not exist");
        CliDriver.Result variable = new CliDriver(dir).env("STEEP_REPL_DAEMON_HTTP_PORT", "x").run("daemon", "run");
        assertThat(variable.stderr()).startsWith("error: http.port (from STEEP_REPL_DAEMON_HTTP_PORT): must be between 1 and 65535");
    }

    @Test
    void sigtermEndsAnOpenStreamWithUnavailableAfterTheGraceAndTheProcessExitsZero() throws Exception {
        DaemonFixture fixture = new DaemonFixture(dir);
        Path config = fixture.writeConfig(fixture.baseYaml(cluster).replace("shutdown_grace: 2s", "shutdown_grace: 1s"));
        try (DaemonProcess daemon = DaemonProcess.forever(config)) {
            daemon.awaitStarted();
            ManagedChannel channel = DaemonFixture.channel(fixture.grpcPort, InsecureChannelCredentials.create());
            try {
                Iterator<RunEvent> events = ClientCalls.blockingServerStreamingCall(channel, TestServices.FOLLOW_FOREVER,
                        CallOptions.DEFAULT, CheckHealthRequest.getDefaultInstance());
                assertThat(events.next().getProgress()).isEqualTo("{\"step\": 0}");

                Processes.kill(daemon.pid(), "TERM");

                StatusRuntimeException ended = drain(events);
                assertThat(ended.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(ended.getStatus().getDescription()).isEqualTo(Daemon.SHUTTING_DOWN);
            } finally {
                DaemonFixture.shut(channel);
            }
            assertThat(daemon.awaitExit(Duration.ofSeconds(30))).as(daemon.stderr()).isZero();
            assertThat(daemon.stderr()).contains("stopping: no new calls; 1 open call(s) have 1 s to finish")
                    .contains("1 call(s) still open at the deadline ended with UNAVAILABLE");
        }
        assertThat(fixture.socket).doesNotExist();
    }

    @Test
    void theJarRunsTheDaemonWithMtlsOnTheJdksTlsUntilSigtermAndExitsZero() throws Exception {
        DaemonFixture fixture = new DaemonFixture(dir);
        TlsInit.Written tls = TlsInit.write(dir.resolve("tls"), List.of(), 2);
        Path config = fixture.writeConfig(fixture.baseYaml(cluster)
                + "tls:\n  cert: tls/server.crt\n  key: tls/server.key\n  client_ca: tls/ca.crt\n");
        try (DaemonProcess daemon = DaemonProcess.jar("daemon", "run", "--config", config.toString())) {
            long startedMs = daemon.awaitStarted();
            long rssKb = Processes.rssKb(daemon.pid());
            // The jar has no OpenSSL for Netty: the handshake is the JDK's. Past it, the jar's
            // daemon serves the operations: the health report of its database.
            ManagedChannel channel = DaemonFixture.channel(fixture.grpcPort, TlsChannelCredentials.newBuilder()
                    .trustManager(tls.path(TlsInit.File.CA_CERT).toFile())
                    .keyManager(tls.path(TlsInit.File.CLIENT_CERT).toFile(), tls.path(TlsInit.File.CLIENT_KEY).toFile()).build());
            try {
                assertThat(DaemonFixture.check(channel, null)).contains("\"component\"", "\"extension\"");
            } finally {
                DaemonFixture.shut(channel);
            }
            CliDriver.Result status = new CliDriver(dir).run("daemon", "status", "--socket", fixture.socket.toString());
            assertThat(status.exitCode()).as(status.output()).isZero();
            assertThat(status.stdout()).contains("pid:        " + daemon.pid());

            Processes.kill(daemon.pid(), "TERM");

            assertThat(daemon.awaitExit(Duration.ofSeconds(30))).as(daemon.stderr()).isZero();
            assertThat(daemon.stderr()).containsPattern("listening on 127.0.0.1:\\d+, TLS with client certificates \\(mTLS\\); HTTP on 127.0.0.1:\\d+; "
                    + "status socket .*; PostgreSQL host=.*; daemon started in \\d+ ms").contains("stopped in ");
            // Figures for the notes, not assertions: start and memory vary with the machine.
            System.out.println("daemon process start to start line: " + startedMs + " ms; "
                    + daemon.stderr().replaceAll("(?s).*(daemon started in \\d+ ms).*", "$1") + "; RSS " + rssKb + " kB");
        }
        assertThat(Files.exists(fixture.socket)).isFalse();
    }

    private static StatusRuntimeException drain(Iterator<RunEvent> events) {
        try {
            while (events.hasNext()) {
                events.next();
            }
        } catch (StatusRuntimeException e) {
            return e;
        }
        throw new AssertionError("the stream ended without an error");
    }
}
