package io.steep.repl.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steep.repl.cli.CliDriver;
import io.steep.repl.testkit.PgCluster;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node commands against a real server: the round trip, and bad input that changes nothing. */
class NodeCommandsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static PgCluster cluster;

    @TempDir
    Path home;
    private CliDriver cli;
    private String conn;

    @BeforeAll
    static void start() {
        cluster = PgCluster.builder().name("cli-nodes").preload(false).start();
        cluster.createExtension("postgres");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @BeforeEach
    void cleanRegistry() {
        cluster.exec("DELETE FROM steep_repl.nodes");
        cli = new CliDriver(home);
        conn = cluster.conninfo("postgres", PgCluster.SUPERUSER);
    }

    private CliDriver.Result run(String... args) {
        String[] withConnection = new String[args.length + 2];
        System.arraycopy(args, 0, withConnection, 0, args.length);
        withConnection[args.length] = "-c";
        withConnection[args.length + 1] = conn;
        return cli.run(withConnection);
    }

    @Test
    void registerHeartbeatStatusDeregister() throws Exception {
        CliDriver.Result registered = run("node", "register", "node-a", "--name", "Node A", "--host", "db1.example.com",
                "--port", "5433", "--priority", "70", "--json");
        assertThat(registered.exitCode()).as(registered.stderr()).isZero();
        JsonNode node = JSON.readTree(registered.stdout()).get("node");
        assertThat(node.get("node_id").asText()).isEqualTo("node-a");
        assertThat(node.get("node_name").asText()).isEqualTo("Node A");
        assertThat(node.get("port").asInt()).isEqualTo(5433);
        assertThat(node.get("priority").asInt()).isEqualTo(70);
        assertThat(node.get("registered_by").asText()).isEqualTo(PgCluster.SUPERUSER);
        assertThat(node.get("last_heartbeat").isNull()).isTrue();
        assertThat(cluster.queryString("SELECT host || ':' || port FROM steep_repl.nodes WHERE node_id = 'node-a'"))
                .isEqualTo("db1.example.com:5433");

        CliDriver.Result before = run("node", "status");
        assertThat(before.stdout()).contains("no heartbeat");

        CliDriver.Result heartbeat = run("node", "heartbeat", "node-a");
        assertThat(heartbeat.exitCode()).isZero();
        assertThat(heartbeat.stdout()).contains("node id:        node-a").contains("last heartbeat: 20");
        assertThat(cluster.queryString("SELECT last_heartbeat IS NOT NULL FROM steep_repl.nodes")).isEqualTo("t");

        CliDriver.Result status = run("node", "status", "node-a", "--json");
        JsonNode row = JSON.readTree(status.stdout()).get("nodes").get(0);
        assertThat(row.get("state").asText()).isEqualTo("healthy");
        assertThat(row.get("is_healthy").asBoolean()).isTrue();
        assertThat(row.get("heartbeat_age").isNumber()).isTrue();

        CliDriver.Result table = run("node", "status");
        assertThat(table.stdout().lines().toList()).hasSize(2);
        assertThat(table.stdout()).startsWith("NODE ID")
                .containsPattern("(?m)^node-a +Node A +db1\\.example\\.com +5433 +70 +healthy +20");

        CliDriver.Result deregistered = run("node", "deregister", "node-a");
        assertThat(deregistered.exitCode()).isZero();
        assertThat(deregistered.stdout()).startsWith("deregistered node node-a\n");
        assertThat(cluster.queryLong("SELECT count(*) FROM steep_repl.nodes")).isZero();
        assertThat(run("node", "status").stdout()).isEqualTo("no nodes registered\n");
    }

    @Test
    void portOutOfRangeIsTheServersErrorAndChangesNothing() {
        CliDriver.Result result = run("node", "register", "node-b", "--name", "B", "--host", "db2", "--port", "70000");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).contains("error: port 70000 is out of range")
                .contains("hint: A port is between 1 and 65535.").doesNotContain("\tat ");
        assertThat(cluster.queryLong("SELECT count(*) FROM steep_repl.nodes")).isZero();
    }

    @Test
    void anEmptyHostIsRefusedWithAHint() throws Exception {
        CliDriver.Result result = run("node", "register", "node-b", "--name", "B", "--host", "", "--json");

        assertThat(result.exitCode()).isEqualTo(1);
        JsonNode error = JSON.readTree(result.stdout()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("error");
        assertThat(error.get("sqlstate").asText()).isEqualTo("22023");
        assertThat(error.get("hint").asText()).isNotBlank();
        assertThat(cluster.queryLong("SELECT count(*) FROM steep_repl.nodes")).isZero();
    }

    @Test
    void unknownNodes() throws Exception {
        for (String command : new String[] {"heartbeat", "status", "deregister"}) {
            CliDriver.Result result = run("node", command, "ghost", "--json");

            assertThat(result.exitCode()).as(command).isEqualTo(1);
            JsonNode error = JSON.readTree(result.stdout()).get("error");
            assertThat(error.get("sqlstate").asText()).as(command).isEqualTo("42704");
            assertThat(error.get("message").asText()).as(command).contains("ghost");
            assertThat(error.get("hint").isNull()).as(command).isFalse();
        }
    }

    @Test
    void reRegisteringUpdatesTheNodeAndKeepsItsRegistrationTime() throws Exception {
        run("node", "register", "node-c", "--name", "C", "--host", "old-host");
        String registeredAt = cluster.queryString("SELECT registered_at FROM steep_repl.nodes WHERE node_id = 'node-c'");

        CliDriver.Result again = run("node", "register", "node-c", "--name", "C2", "--host", "new-host", "--json");

        assertThat(again.exitCode()).isZero();
        assertThat(JSON.readTree(again.stdout()).get("node").get("host").asText()).isEqualTo("new-host");
        assertThat(cluster.queryString("SELECT registered_at FROM steep_repl.nodes WHERE node_id = 'node-c'"))
                .isEqualTo(registeredAt);
    }
}
