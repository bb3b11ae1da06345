package io.steep.repl.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steep.repl.cli.CliDriver;
import io.steep.repl.testkit.PgCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code steep-repl health} shows exactly what steep_repl.health() reports. */
class HealthIT {
    private static PgCluster cluster;

    @TempDir
    Path home;

    @BeforeAll
    static void start() {
        cluster = PgCluster.builder().name("cli-health").preload(false).start();
        cluster.createExtension("postgres");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void humanAndJsonReportsMatchTheSqlFunction() throws Exception {
        List<List<String>> expected = cluster.query("postgres", "SELECT component, status, detail FROM steep_repl.health()");
        String conn = cluster.conninfo("postgres", PgCluster.SUPERUSER);

        CliDriver.Result human = new CliDriver(home).run("health", "-c", conn);
        CliDriver.Result json = new CliDriver(home).run("health", "--json", "-c", conn);

        boolean anyError = expected.stream().anyMatch(row -> row.get(1).equals("error"));
        assertThat(human.exitCode()).isEqualTo(anyError ? 1 : 0);
        List<String> lines = human.stdout().lines().toList();
        assertThat(lines.get(0)).matches("COMPONENT +STATUS +DETAIL");
        assertThat(lines).hasSize(expected.size() + 1);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(lines.get(i + 1)).startsWith(expected.get(i).get(0)).contains(expected.get(i).get(1));
        }

        assertThat(json.exitCode()).isEqualTo(human.exitCode());
        JsonNode rows = new ObjectMapper().readTree(json.stdout()).get("health");
        List<List<String>> reported = new ArrayList<>();
        rows.forEach(r -> reported.add(Arrays.asList(r.get("component").asText(), r.get("status").asText(),
                r.get("detail").isNull() ? null : r.get("detail").asText())));
        assertThat(reported).isEqualTo(expected);
        assertThat(reported).extracting(r -> r.get(0))
                .contains("extension", "shared_memory", "supervisor", "java_worker", "queue", "last_error", "nodes");
    }
}
