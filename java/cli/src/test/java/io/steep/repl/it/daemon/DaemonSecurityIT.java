package io.steep.repl.it.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.steep.repl.SteepReplException;
import io.steep.repl.cli.CliDriver;
import io.steep.repl.daemon.Daemon;
import io.steep.repl.daemon.config.ConfigKey;
import io.steep.repl.daemon.config.ConfigLoader;
import io.steep.repl.daemon.rpc.OperationServices;
import io.steep.repl.daemon.tls.TlsInit;
import io.steep.repl.testkit.PgCluster;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may call the daemon: TLS with the certificates of {@code daemon tls init}, client
 * certificates when mTLS is on, the bearer token, and no plaintext off loopback unless asked for.
 */
class DaemonSecurityIT {
    private static final String TOKEN = "0123456789abcdef-secret-token";
    private static PgCluster cluster;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        cluster = PgCluster.builder().name("daemon-security").preload(false).start();
        cluster.createExtension("postgres");
    }

    @AfterAll
    static void stop() {
        PgCluster.closeAll(cluster);
    }

    private static ChannelCredentials trusting(Path ca) throws IOException {
        return TlsChannelCredentials.newBuilder().trustManager(ca.toFile()).build();
    }

    private static String callWith(int port, ChannelCredentials credentials, String authorization) {
        ManagedChannel channel = DaemonFixture.channel(port, credentials);
        try {
            return DaemonFixture.check(channel, authorization);
        } finally {
            DaemonFixture.shut(channel);
        }
    }

    private static Status.Code refusal(int port, ChannelCredentials credentials, String authorization) {
        try {
            callWith(port, credentials, authorization);
            throw new AssertionError("the call went through");
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    @Test
    void tlsWithTheInitCertificatesHandshakesAndClientsThatDoNotTrustTheCaAreRefused() throws IOException {
        TlsInit.Written tls = TlsInit.write(dir.resolve("tls"), List.of(), 2);
        try (DaemonFixture fixture = new DaemonFixture(dir)) {
            Daemon daemon = fixture.start(fixture.baseYaml(cluster) + "tls:\n  cert: tls/server.crt\n  key: tls/server.key\n",
                    database -> List.of(TestServices.whoAmI(database)));

            assertThat(callWith(daemon.grpcPort(), trusting(tls.path(TlsInit.File.CA_CERT)), null))
                    .isEqualTo("{\"user\": \"postgres\"}");
            // The system's CAs do not know this one; a plaintext client gets no answer either.
            assertThat(refusal(daemon.grpcPort(), TlsChannelCredentials.create(), null)).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(refusal(daemon.grpcPort(), InsecureChannelCredentials.create(), null)).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(fixture.log()).contains("listening on 127.0.0.1:" + daemon.grpcPort() + ", TLS;");
        }
    }

    @Test
    void mtlsRefusesAClientWithoutACertificateOrWithOneFromAnotherCa() throws IOException {
        TlsInit.Written tls = TlsInit.write(dir.resolve("tls"), List.of(), 2);
        TlsInit.Written foreign = TlsInit.write(dir.resolve("foreign"), List.of(), 2);
        try (DaemonFixture fixture = new DaemonFixture(dir)) {
            Daemon daemon = fixture.start(fixture.baseYaml(cluster)
                    + "tls:\n  cert: tls/server.crt\n  key: tls/server.key\n  client_ca: tls/ca.crt\n",
                    database -> List.of(TestServices.whoAmI(database)));
            ChannelCredentials withCertificate = TlsChannelCredentials.newBuilder()
                    .trustManager(tls.path(TlsInit.File.CA_CERT).toFile())
                    .keyManager(tls.path(TlsInit.File.CLIENT_CERT).toFile(), tls.path(TlsInit.File.CLIENT_KEY).toFile()).build();
            ChannelCredentials withForeignCertificate = TlsChannelCredentials.newBuilder()
                    .trustManager(tls.path(TlsInit.File.CA_CERT).toFile())
                    .keyManager(foreign.path(TlsInit.File.CLIENT_CERT).toFile(), foreign.path(TlsInit.File.CLIENT_KEY).toFile())
                    .build();

            assertThat(refusal(daemon.grpcPort(), trusting(tls.path(TlsInit.File.CA_CERT)), null)).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(refusal(daemon.grpcPort(), withForeignCertificate, null)).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(callWith(daemon.grpcPort(), withCertificate, null)).isEqualTo("{\"user\": \"postgres\"}");
            assertThat(fixture.log()).contains("TLS with client certificates (mTLS)");
        }
    }

    @Test
    void aClientWithoutTheTokenOrWithAnotherIsUnauthenticatedAndTheTokenIsNeverLogged() {
        try (DaemonFixture fixture = new DaemonFixture(dir)) {
            Daemon daemon = fixture.start(fixture.baseYaml(cluster) + "token: " + TOKEN + "\n",
                    database -> List.of(TestServices.whoAmI(database)));
            ChannelCredentials plaintext = InsecureChannelCredentials.create();

            assertThat(refusal(daemon.grpcPort(), plaintext, null)).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(refusal(daemon.grpcPort(), plaintext, "Bearer " + TOKEN + "x")).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(refusal(daemon.grpcPort(), plaintext, "Bearer " + TOKEN.substring(1))).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(refusal(daemon.grpcPort(), plaintext, TOKEN)).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThatThrownBy(() -> callWith(daemon.grpcPort(), plaintext, null))
                    .hasMessageContaining("missing bearer token").hasMessageNotContaining(TOKEN);
            assertThat(callWith(daemon.grpcPort(), plaintext, "Bearer " + TOKEN)).isEqualTo("{\"user\": \"postgres\"}");
            // A call counts until the server has seen it complete, a moment after the client has its answer.
            PgCluster.waitFor(Duration.ofSeconds(10), () -> daemon.openCalls() == 0, "the calls to complete");
            assertThat(fixture.log()).contains("bearer token required").doesNotContain(TOKEN);
        }
    }

    @Test
    void theCliReachesAnMtlsDaemonWithATokenThroughItsFlagsAndIsRefusedWithoutThem() throws IOException {
        TlsInit.Written tls = TlsInit.write(dir.resolve("tls"), List.of(), 2);
        try (DaemonFixture fixture = new DaemonFixture(dir)) {
            Daemon daemon = fixture.start(fixture.baseYaml(cluster) + "token: " + TOKEN + "\n"
                    + "tls:\n  cert: tls/server.crt\n  key: tls/server.key\n  client_ca: tls/ca.crt\n",
                    OperationServices::services);
            String remote = "127.0.0.1:" + daemon.grpcPort();
            String ca = tls.path(TlsInit.File.CA_CERT).toString();
            String cert = tls.path(TlsInit.File.CLIENT_CERT).toString();
            String key = tls.path(TlsInit.File.CLIENT_KEY).toString();
            CliDriver cli = new CliDriver(dir);

            CliDriver.Result ok = cli.run("health", "--json", "--remote", remote, "--ca", ca, "--cert", cert, "--key", key,
                    "--token", TOKEN);
            assertThat(ok.exitCode()).as(ok.output()).isZero();
            assertThat(ok.stdout()).contains("\"component\" : \"extension\"");
            CliDriver.Result fromEnvironment = new CliDriver(dir).env("STEEP_REPL_CA", ca).env("STEEP_REPL_CERT", cert)
                    .env("STEEP_REPL_KEY", key).env("STEEP_REPL_TOKEN", TOKEN).run("health", "--remote", remote);
            assertThat(fromEnvironment.exitCode()).as(fromEnvironment.output()).isZero();

            CliDriver.Result noCertificate = cli.run("health", "--remote", remote, "--ca", ca, "--token", TOKEN);
            assertThat(noCertificate.exitCode()).as(noCertificate.output()).isEqualTo(6);
            assertThat(noCertificate.stderr()).startsWith("error: cannot reach the steep-repl daemon at " + remote);
            CliDriver.Result plaintext = cli.run("health", "--remote", remote, "--token", TOKEN);
            assertThat(plaintext.exitCode()).as(plaintext.output()).isEqualTo(6);
            CliDriver.Result wrongToken = cli.run("health", "--remote", remote, "--ca", ca, "--cert", cert, "--key", key,
                    "--token", TOKEN + "x");
            assertThat(wrongToken.exitCode()).as(wrongToken.output()).isEqualTo(1);
            assertThat(wrongToken.stderr()).contains("refused the call").contains("hint: Give the daemon's token")
                    .doesNotContain(TOKEN);
            CliDriver.Result certWithoutKey = cli.run("health", "--remote", remote, "--ca", ca, "--cert", cert);
            assertThat(certWithoutKey.exitCode()).as(certWithoutKey.output()).isEqualTo(2);
            assertThat(certWithoutKey.stderr()).startsWith("error: --cert needs --key");
            assertThat(fixture.log()).doesNotContain(TOKEN);
        }
    }

    @Test
    void aSuperuserRoleThatEveryoneReachingThePortActsAsIsWarnedAbout() {
        cluster.exec("DO $$ BEGIN CREATE ROLE daemon_plain LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
        String warning = "warning: the daemon's PostgreSQL role is a superuser and its clients need neither a token "
                + "nor a client certificate";
        try (DaemonFixture fixture = new DaemonFixture(dir)) {
            fixture.start(fixture.baseYaml(cluster), database -> List.of());
            assertThat(fixture.log()).contains(warning);
        }
        try (DaemonFixture fixture = new DaemonFixture(dir)) {
            fixture.start(fixture.baseYaml(cluster) + "token: " + TOKEN + "\n", database -> List.of());
            assertThat(fixture.log()).contains("daemon started in").doesNotContain(warning);
        }
        try (DaemonFixture fixture = new DaemonFixture(dir)) {
            fixture.start(fixture.baseYaml(cluster).replace("user=" + PgCluster.SUPERUSER, "user=daemon_plain"),
                    database -> List.of());
            assertThat(fixture.log()).contains("daemon started in").doesNotContain(warning);
        }
    }

    @Test
    void plaintextOnANonLoopbackAddressIsRefusedWithNothingListeningAndAllowedWithInsecure() {
        try (DaemonFixture fixture = new DaemonFixture(dir)) {
            String yaml = fixture.baseYaml(cluster, "0.0.0.0");

            assertThatThrownBy(() -> fixture.load(yaml, Map.of())).isInstanceOf(SteepReplException.class)
                    .hasMessageStartingWith("listen.address: 0.0.0.0 is not a loopback address");
            assertThat(listening(fixture.grpcPort)).isFalse();

            Daemon daemon = fixture.start(fixture.load(yaml,
                    Map.of(ConfigKey.INSECURE, new ConfigLoader.Flag("--insecure", "true"))),
                    database -> List.of(TestServices.whoAmI(database)));
            assertThat(callWith(daemon.grpcPort(), InsecureChannelCredentials.create(), null)).isEqualTo("{\"user\": \"postgres\"}");
            assertThat(fixture.log()).contains("listening on 0.0.0.0:" + fixture.grpcPort + ", plaintext (--insecure)");
        }
    }

    static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            return true;
        } catch (ConnectException e) {
            return false;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
