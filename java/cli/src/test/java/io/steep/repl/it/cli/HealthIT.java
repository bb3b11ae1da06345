package io.steep.repl.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steep.repl.ErrorCode;
import io.steep.repl.cli.CliDriver;
import io.steep.repl.it.WorkerClusters;
import io.steep.repl.testkit.PgCluster;
import io.steep.repl.testkit.Processes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code steep-repl health} shows exactly what steep_repl.health() reports, and exits non-zero
 * when a component is in error; the troubleshooting query of docs/operations.md finds the
 * processes it names.
 */
class HealthIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** docs/operations.md, "Troubleshooting". */
    private static final String STEEP_REPL_ACTIVITY = "SELECT backend_type, application_name FROM pg_stat_activity "
            + "WHERE starts_with(backend_type, 'steep_repl') OR starts_with(application_name, 'steep_repl')";
    private static PgCluster withoutPreload;
    private static PgCluster withoutJava;
    private static PgCluster withWorker;

    @TempDir
    Path home;

    @BeforeAll
    static void start() {
        withoutPreload = PgCluster.builder().name("cli-health").preload(false).start();
        withoutPreload.createExtension("postgres");
        withoutJava = PgCluster.builder().name("cli-health-nojava")
                .setting("steep_repl.java_home", "/nonexistent/java-home").start();
        withoutJava.createExtension("postgres");
        withWorker = WorkerClusters.start("cli-health-worker");
    }

    @AfterAll
    static void stop() {
        PgCluster.closeAll(withoutPreload, withoutJava, withWorker);
    }

    private CliDriver.Result health(PgCluster cluster, String... extra) {
        List<String> args = new ArrayList<>(List.of("health", "-c", cluster.conninfo("postgres", PgCluster.SUPERUSER)));
        args.addAll(List.of(extra));
        return new CliDriver(home).run(args.toArray(String[]::new));
    }

    /** The human report has a header and one line per row; --json has exactly the rows. */
    private void assertReportsMatch(PgCluster cluster, CliDriver.Result human, CliDriver.Result json) throws Exception {
        List<List<String>> expected = cluster.query("postgres", "SELECT component, status, detail FROM steep_repl.health()");
        List<String> lines = human.stdout().lines().toList();
        assertThat(lines.get(0)).matches("COMPONENT +STATUS +DETAIL");
        assertThat(lines).hasSize(expected.size() + 1);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(lines.get(i + 1)).startsWith(expected.get(i).get(0)).contains(expected.get(i).get(1));
        }
        JsonNode rows = JSON.readTree(json.stdout()).get("health");
        List<List<String>> reported = new ArrayList<>();
        rows.forEach(r -> reported.add(Arrays.asList(r.get("component").asText(), r.get("status").asText(),
                r.get("detail").isNull() ? null : r.get("detail").asText())));
        assertThat(reported).isEqualTo(expected);
        assertThat(reported).extracting(r -> r.get(0))
                .contains("extension", "shared_memory", "supervisor", "java_worker", "queue", "last_error", "nodes");
    }

    @Test
    void withoutPreloadTheJobPartsAreUnavailableAndTheExitCodeIsZero() throws Exception {
        CliDriver.Result human = health(withoutPreload);
        CliDriver.Result json = health(withoutPreload, "--json");

        assertReportsMatch(withoutPreload, human, json);
        // Not configured for jobs is not an error: submit_job refuses, so nothing waits for a worker.
        assertThat(human.stdout()).containsPattern("java_worker +unavailable");
        assertThat(human.exitCode()).as(human.output()).isEqualTo(ErrorCode.OK.exitCode());
        assertThat(json.exitCode()).isEqualTo(ErrorCode.OK.exitCode());
    }

    @Test
    void aWorkerThatCannotStartIsAnErrorAndTheExitCodeSaysSo() throws Exception {
        PgCluster.waitFor(WorkerClusters.WORKER_TIMEOUT, () -> "backing off".equals(
                withoutJava.queryString("SELECT state FROM steep_repl.worker_status()")), "the supervisor to back off");

        CliDriver.Result human = health(withoutJava);
        CliDriver.Result json = health(withoutJava, "--json");

        assertReportsMatch(withoutJava, human, json);
        assertThat(human.stdout()).containsPattern(
                "java_worker +error +cannot start: java not found via steep_repl.java_home");
        assertThat(human.exitCode()).as(human.output()).isEqualTo(ErrorCode.ERROR.exitCode());
        assertThat(json.exitCode()).isEqualTo(ErrorCode.ERROR.exitCode());
        assertThat(JSON.readTree(json.stdout()).has("error")).isFalse();
    }

    @Test
    void aServedDatabaseTheWorkerCannotConnectToIsAnErrorAndTheExitCodeSaysSo() throws Exception {
        withWorker.createDatabase("locked");
        withWorker.createExtension("locked");
        PgCluster.waitFor(WorkerClusters.WORKER_TIMEOUT, () -> "serving".equals(withWorker.queryString(
                "SELECT state FROM steep_repl.served_databases() WHERE database = 'locked'")), "locked to be served");
        CliDriver.Result before = health(withWorker);
        assertThat(before.stdout()).containsPattern("database locked +ok +serving since");
        assertThat(before.exitCode()).as(before.output()).isEqualTo(ErrorCode.OK.exitCode());

        // It keeps its sessions until the worker starts again, and then cannot connect.
        withWorker.exec("ALTER DATABASE locked WITH ALLOW_CONNECTIONS false");
        long oldPid = WorkerClusters.awaitWorker(withWorker);
        Processes.kill(oldPid, "KILL");
        PgCluster.waitFor(WorkerClusters.WORKER_TIMEOUT, () -> "error".equals(withWorker.queryString(
                "SELECT state FROM steep_repl.served_databases() WHERE database = 'locked'")), "locked to be in error");

        CliDriver.Result human = health(withWorker);
        CliDriver.Result json = health(withWorker, "--json");

        assertReportsMatch(withWorker, human, json);
        assertThat(human.stdout()).containsPattern("database locked +error +cannot be served: .*not currently accepting connections");
        assertThat(human.stdout()).containsPattern("database postgres +ok +serving since");
        assertThat(human.exitCode()).as(human.output()).isEqualTo(ErrorCode.ERROR.exitCode());
        assertThat(json.exitCode()).isEqualTo(ErrorCode.ERROR.exitCode());

        withWorker.exec("ALTER DATABASE locked WITH ALLOW_CONNECTIONS true", "DROP DATABASE locked");
    }

    @Test
    void theTroubleshootingQueryFindsTheSupervisorAndTheWorkersSessions() throws Exception {
        List<List<String>> activity = withWorker.query("postgres", STEEP_REPL_ACTIVITY);

        assertThat(activity).contains(List.of("steep_repl supervisor", "steep_repl supervisor"),
                List.of("client backend", "steep_repl worker"));
        assertThat(withWorker.queryLong("SELECT count(*) FROM pg_stat_activity "
                + "WHERE backend_type = 'background worker'")).isZero();

        CliDriver.Result human = health(withWorker);
        assertReportsMatch(withWorker, human, health(withWorker, "--json"));
        assertThat(human.stdout()).containsPattern("java_worker +ok +running");
        assertThat(human.exitCode()).as(human.output()).isEqualTo(ErrorCode.OK.exitCode());
    }
}
