package io.steep.repl.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steep.repl.cli.CliDriver;
import io.steep.repl.testkit.PgCluster;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reaching the server: sockets, TCP with passwords, failures, and secrets that never show. */
class ConnectionIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Characters that must be percent-encoded in a URI. */
    private static final String PASSWORD = "Pa/ss@w:rd 9#";
    private static PgCluster cluster;

    @TempDir
    Path home;

    @BeforeAll
    static void start() {
        cluster = PgCluster.builder().name("cli-conn").preload(false).start();
        cluster.createExtension("postgres");
        cluster.exec("CREATE ROLE alice LOGIN PASSWORD '" + PASSWORD.replace("'", "''") + "'",
                "CREATE DATABASE plain");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static String encoded(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String tcp(String extra) {
        return "host=127.0.0.1 port=" + cluster.port() + " dbname=postgres user=alice " + extra;
    }

    @Test
    void unixSocketAsKeywordsOrUri() {
        CliDriver cli = new CliDriver(home);

        CliDriver.Result keywords = cli.run("node", "status", "-c", cluster.conninfo("postgres", PgCluster.SUPERUSER));
        CliDriver.Result uri = cli.run("node", "status", "-c", "postgresql:///postgres?host="
                + encoded(cluster.socketDir().toString()) + "&port=" + cluster.port() + "&user=postgres");

        assertThat(keywords.exitCode()).as(keywords.stderr()).isZero();
        assertThat(uri.exitCode()).as(uri.stderr()).isZero();
    }

    @Test
    void aUriWithAPasswordWorksAndIsRedactedEverywhere() {
        String uri = "postgresql://alice:" + encoded(PASSWORD) + "@127.0.0.1:" + cluster.port() + "/postgres";

        CliDriver.Result result = new CliDriver(home).run("node", "status", "--verbose", "-c", uri);

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stderr()).contains("connecting to host=127.0.0.1 port=" + cluster.port()
                + " dbname=postgres user=alice password=********");
        assertThat(result.output()).doesNotContain(PASSWORD).doesNotContain(encoded(PASSWORD));
    }

    @Test
    void aWrongPasswordIsAConnectionErrorWithAHintAndNoSecret() throws Exception {
        String wrong = "Wr0ng-" + PASSWORD;
        CliDriver.Result human = new CliDriver(home).run("health", "-c", tcp("password='" + wrong + "'"));
        CliDriver.Result json = new CliDriver(home).run("health", "--json", "--verbose", "-c",
                "postgresql://alice:" + encoded(wrong) + "@127.0.0.1:" + cluster.port() + "/postgres");

        assertThat(human.exitCode()).isEqualTo(6);
        assertThat(human.stderr()).contains("password authentication failed for user \"alice\"")
                .contains("hint: Check the password for user \"alice\" (it came from connection string)");
        assertThat(json.exitCode()).isEqualTo(6);
        JsonNode error = JSON.readTree(json.stdout()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("connection");
        assertThat(error.get("sqlstate").asText()).isEqualTo("28P01");
        for (CliDriver.Result result : new CliDriver.Result[] {human, json}) {
            assertThat(result.output()).doesNotContain(wrong).doesNotContain(encoded(wrong)).contains("********");
        }
    }

    @Test
    void noServerOnThePortIsExitSixWithoutThePassword() throws Exception {
        int port = unusedPort();
        String secret = "TopSecret-42";
        CliDriver.Result keywords = new CliDriver(home).run("health", "-c",
                "host=127.0.0.1 port=" + port + " user=u dbname=x password=" + secret);
        CliDriver.Result uri = new CliDriver(home).run("node", "status", "--json", "--verbose", "-c",
                "postgresql://u:" + secret + "@127.0.0.1:" + port + "/x");

        assertThat(keywords.exitCode()).isEqualTo(6);
        assertThat(keywords.stderr()).startsWith("error: could not connect to host=127.0.0.1 port=" + port
                        + " dbname=x user=u password=********")
                .contains("hint: Is the server running on host \"127.0.0.1\", port " + port);
        assertThat(uri.exitCode()).isEqualTo(6);
        assertThat(JSON.readTree(uri.stdout()).get("error").get("code").asText()).isEqualTo("connection");
        assertThat(keywords.output() + uri.output()).doesNotContain(secret);
    }

    @Test
    void aMissingSocketNamesTheSocketFile() {
        CliDriver.Result result = new CliDriver(home).run("health", "-c", "host=" + home + " port=5999 user=u");

        assertThat(result.exitCode()).isEqualTo(6);
        assertThat(result.stderr()).contains("hint: Is the server running locally and accepting connections on "
                + "Unix socket \"" + home.resolve(".s.PGSQL.5999") + "\"?");
    }

    @Test
    void aPrivatePgpassSuppliesThePasswordAndAnOpenOneIsIgnored() throws IOException {
        Path pgpass = home.resolve(".pgpass");
        Files.writeString(pgpass, "127.0.0.1:" + cluster.port() + ":*:alice:" + PASSWORD.replace(":", "\\:") + "\n");
        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));

        CliDriver.Result ok = new CliDriver(home).run("node", "status", "-c", tcp(""));
        assertThat(ok.exitCode()).as(ok.stderr()).isZero();
        assertThat(ok.stderr()).isEmpty();

        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-r--r--"));
        CliDriver.Result refused = new CliDriver(home).run("node", "status", "-c", tcp(""));
        assertThat(refused.exitCode()).isEqualTo(6);
        assertThat(refused.stderr()).contains("warning: password file \"" + pgpass + "\" has group or world access")
                .contains("no password was provided");
        assertThat(refused.output()).doesNotContain(PASSWORD);
    }

    @Test
    void pgpasswordFromTheEnvironment() {
        CliDriver.Result result = new CliDriver(home).env("PGPASSWORD", PASSWORD).env("PGHOST", "127.0.0.1")
                .env("PGPORT", Integer.toString(cluster.port())).env("PGUSER", "alice").env("PGDATABASE", "postgres")
                .run("node", "status", "--verbose");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.output()).doesNotContain(PASSWORD);
    }

    @Test
    void aNamedConnection() throws IOException {
        Path file = home.resolve("connections.conf");
        Files.writeString(file, "[local]\nhost=" + cluster.socketDir() + "\nport=" + cluster.port()
                + "\nuser=postgres\ndbname=postgres\n");

        CliDriver.Result result = new CliDriver(home).env("STEEP_REPL_CONNECTIONS", file.toString())
                .run("health", "-c", "local");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("extension");
    }

    @Test
    void aDatabaseWithoutTheExtension() {
        CliDriver.Result result = new CliDriver(home).run("node", "status", "-c",
                cluster.conninfo("plain", PgCluster.SUPERUSER));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).isEqualTo("error: extension steep_repl is not installed in database \"plain\", "
                + "and no steep-repl daemon is configured\n"
                + "hint: Run CREATE EXTENSION steep_repl; in that database (as a superuser), or connect to the "
                + "database where it is installed. Or run the command through a steep-repl daemon: --remote HOST:PORT, "
                + "or $STEEP_REPL_DAEMON=HOST:PORT to fall back to one.\n");
    }

    @Test
    void aDatabaseThatDoesNotExist() {
        CliDriver.Result result = new CliDriver(home).run("health", "-c", cluster.conninfo("nope", PgCluster.SUPERUSER));

        assertThat(result.exitCode()).isEqualTo(6);
        assertThat(result.stderr()).contains("database \"nope\" does not exist").contains("hint: Check the database name");
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
