package io.steep.repl.it.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steep.repl.ErrorCode;
import io.steep.repl.cli.CliDriver;
import io.steep.repl.daemon.Daemon;
import io.steep.repl.testkit.PgCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's HTTP endpoints follow its PostgreSQL (503 while it is down, 200 once it is back),
 * and {@code daemon status} reads the status socket, which only its owner may open; the password
 * of the config is in neither, nor in the log.
 */
class DaemonHealthIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "pw-Never-Shown-42";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static PgCluster cluster;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        cluster = PgCluster.builder().name("daemon-health").preload(false).start();
        cluster.createExtension("postgres");
    }

    @AfterAll
    static void stop() {
        PgCluster.closeAll(cluster);
    }

    private static HttpResponse<String> get(Daemon daemon, String path) throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + daemon.httpAddress().getPort() + path);
        return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertAnswers(Daemon daemon, String path, int status, String state) throws Exception {
        HttpResponse<String> response = get(daemon, path);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(JSON.readTree(response.body()).get("status").asText()).as(path).isEqualTo(state);
        assertThat(response.body()).doesNotContain(PASSWORD);
    }

    @Test
    void readyzAndHealthAre503WhilePostgresqlIsStoppedAnd200WhenItIsBack() throws Exception {
        try (DaemonFixture fixture = new DaemonFixture(dir)) {
            Daemon daemon = fixture.start(fixture.baseYaml(cluster), database -> List.of());

            assertAnswers(daemon, "/livez", 200, "live");
            assertAnswers(daemon, "/readyz", 200, "ready");
            assertAnswers(daemon, "/health", 200, "ready");
            assertThat(JSON.readTree(get(daemon, "/health").body()).get("extension").asText())
                    .isEqualTo(cluster.queryString("SELECT extversion FROM pg_extension WHERE extname = 'steep_repl'"));

            cluster.stop("fast");
            try {
                assertAnswers(daemon, "/livez", 200, "live");
                assertAnswers(daemon, "/readyz", 503, "unavailable");
                assertAnswers(daemon, "/health", 503, "unavailable");
                JsonNode down = JSON.readTree(get(daemon, "/readyz").body());
                assertThat(down.get("postgres").asText()).isEqualTo("unreachable");
                assertThat(down.get("reason").asText()).startsWith("could not connect to PostgreSQL")
                        .doesNotContain(cluster.socketDir().toString());
            } finally {
                cluster.start();
            }
            assertAnswers(daemon, "/readyz", 200, "ready");
            assertAnswers(daemon, "/health", 200, "ready");
        }
    }

    @Test
    void readyzIs503WithTheReasonWhenTheExtensionIsMissing() throws Exception {
        cluster.createDatabase("without_extension");
        try (DaemonFixture fixture = new DaemonFixture(dir)) {
            Daemon daemon = fixture.start(fixture.baseYaml(cluster).replace("dbname=postgres", "dbname=without_extension"),
                    database -> List.of());

            HttpResponse<String> response = get(daemon, "/readyz");
            assertThat(response.statusCode()).isEqualTo(503);
            JsonNode body = JSON.readTree(response.body());
            assertThat(body.get("postgres").asText()).isEqualTo("reachable");
            assertThat(body.get("reason").asText()).contains("extension steep_repl is not installed");
        } finally {
            cluster.exec("DROP DATABASE without_extension");
        }
    }

    @Test
    void otherPathsAre404AndOtherMethods405() throws Exception {
        try (DaemonFixture fixture = new DaemonFixture(dir)) {
            Daemon daemon = fixture.start(fixture.baseYaml(cluster), database -> List.of());
            URI livez = URI.create("http://127.0.0.1:" + daemon.httpAddress().getPort() + "/livez");

            assertThat(get(daemon, "/livezz").statusCode()).isEqualTo(404);
            assertThat(get(daemon, "/").statusCode()).isEqualTo(404);
            assertThat(HTTP.send(HttpRequest.newBuilder(livez).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
        }
    }

    @Test
    void daemonStatusReadsTheOwnerOnlySocketAndMasksThePassword() throws Exception {
        try (DaemonFixture fixture = new DaemonFixture(dir)) {
            Daemon daemon = fixture.start(fixture.baseYaml(cluster) + "  password: " + PASSWORD + "\n", database -> List.of());
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fixture.socket))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fixture.socket.getParent())))
                    .isEqualTo("rwx------");

            CliDriver.Result human = new CliDriver(dir).run("daemon", "status", "--socket", fixture.socket.toString());
            CliDriver.Result json = new CliDriver(dir).run("daemon", "status", "--socket", fixture.socket.toString(), "--json");

            assertThat(human.exitCode()).as(human.output()).isZero();
            assertThat(human.stdout()).containsPattern("state: +serving").contains("pid:")
                    .containsPattern("listen: +127.0.0.1:" + daemon.grpcPort() + ", plaintext")
                    .contains("password=********").contains("reachable, steep_repl ");
            JsonNode status = JSON.readTree(json.stdout()).get("daemon");
            assertThat(status.get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
            assertThat(status.get("tls").asBoolean()).isFalse();
            assertThat(status.get("mtls").asBoolean()).isFalse();
            assertThat(status.get("open_calls").asInt()).isZero();
            assertThat(status.get("postgres").get("status").asText()).isEqualTo("ready");
            assertThat(status.get("postgres").get("target").asText()).contains("password=********");
            assertThat(human.output() + json.output() + fixture.log()).doesNotContain(PASSWORD);
            assertThat(fixture.log()).contains("password=********").containsPattern("daemon started in \\d+ ms");
        }
        assertThat(dir.resolve("run/daemon.sock")).doesNotExist();
        CliDriver.Result gone = new CliDriver(dir).run("daemon", "status", "--socket", dir.resolve("run/daemon.sock").toString());
        assertThat(gone.exitCode()).isEqualTo(ErrorCode.CONNECTION.exitCode());
        assertThat(gone.stderr()).contains("error: no socket").contains("hint: Is the daemon running");
    }
}
