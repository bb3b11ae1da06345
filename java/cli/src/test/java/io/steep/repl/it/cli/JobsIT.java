package io.steep.repl.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steep.repl.cli.CliDriver;
import io.steep.repl.testkit.PgCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jobs commands against a cluster whose worker runs jobs: submit and wait, list, show,
 * failures, timeouts and cancel. Uses {@code ping} and the test-only kind {@code test.sleep}.
 */
class JobsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static PgCluster cluster;

    @TempDir
    Path home;

    @BeforeAll
    static void start() {
        // "other" has the extension but lies outside the served databases
        cluster = PgCluster.builder().name("cli-jobs").setting("steep_repl.databases", "postgres").start();
        cluster.createExtension("postgres");
        cluster.createDatabase("other");
        cluster.createExtension("other");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private CliDriver.Result run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("-c");
        all.add(cluster.conninfo("postgres", PgCluster.SUPERUSER));
        return new CliDriver(home).run(all.toArray(String[]::new));
    }

    private JsonNode json(CliDriver.Result result) throws Exception {
        return JSON.readTree(result.stdout());
    }

    @Test
    void submitPingAndWaitThenListAndShowIt() throws Exception {
        CliDriver.Result submitted = run("jobs", "submit", "ping", "--wait", "--timeout", "60s", "--json");

        assertThat(submitted.exitCode()).as(submitted.output()).isZero();
        JsonNode job = json(submitted).get("job");
        long id = job.get("id").asLong();
        assertThat(job.get("status").asText()).isEqualTo("complete");
        assertThat(job.get("result").get("worker_pid").asLong()).isPositive();
        assertThat(cluster.queryString("SELECT status FROM steep_repl.work_queue WHERE id = " + id)).isEqualTo("complete");

        CliDriver.Result list = run("jobs", "list", "--status", "complete", "--json");
        assertThat(list.exitCode()).as(list.output()).isZero();
        JsonNode listed = json(list).get("jobs");
        assertThat(listed.findValuesAsText("id")).contains(Long.toString(id));

        CliDriver.Result table = run("jobs", "list");
        assertThat(table.stdout()).startsWith("ID").containsPattern("(?m)^" + id + " +ping +complete +postgres +1/1 ");

        CliDriver.Result shown = run("jobs", "show", Long.toString(id));
        assertThat(shown.exitCode()).isZero();
        assertThat(shown.stdout()).contains("job:").contains("status:").contains("complete").contains("worker_pid");
    }

    @Test
    void aFailedJobIsExitOneWithItsError() {
        CliDriver.Result result = run("jobs", "submit", "test.sleep", "--params",
                "{\"steps\": 1, \"step_ms\": 10, \"fail_at\": 1, \"message\": \"disk on fire\"}", "--wait");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).containsPattern("error: job \\d+ failed: .*disk on fire")
                .contains("hint: steep-repl jobs show");
    }

    @Test
    void aTimeoutLeavesTheJobRunningAndCancelStopsIt() throws Exception {
        CliDriver.Result waited = run("jobs", "submit", "test.sleep", "--params", "{\"steps\": 600, \"step_ms\": 100}",
                "--wait", "--timeout", "500ms", "--json");

        assertThat(waited.exitCode()).isEqualTo(5);
        JsonNode error = json(waited).get("error");
        assertThat(error.get("code").asText()).isEqualTo("timeout");
        long id = cluster.queryLong("SELECT max(id) FROM steep_repl.work_queue WHERE kind = 'test.sleep' AND params->>'steps' = '600'");
        assertThat(error.get("message").asText()).startsWith("job " + id + " did not finish within 500ms");

        PgCluster.waitFor(WAIT, () -> hasProgress(id), "job " + id + " to report progress");
        CliDriver.Result shown = run("jobs", "show", Long.toString(id));
        assertThat(shown.stdout()).contains("progress:").contains("phase:").contains("current item: step ");

        CliDriver.Result cancelled = run("jobs", "cancel", Long.toString(id), "--json");
        assertThat(cancelled.exitCode()).isZero();
        JsonNode job = json(cancelled).get("job");
        assertThat(job.get("cancel_requested").asBoolean() || job.get("status").asText().equals("cancelled")).isTrue();
        PgCluster.waitFor(WAIT, () -> "cancelled".equals(
                cluster.queryString("SELECT status FROM steep_repl.work_queue WHERE id = " + id)), "job " + id + " to be cancelled");

        CliDriver.Result again = run("jobs", "cancel", Long.toString(id));
        assertThat(again.exitCode()).isZero();
        assertThat(again.stderr()).startsWith("notice: ");
        assertThat(again.stdout()).contains("cancelled");
    }

    /** True once the job has reported a step (its first report, "starting", names no item). */
    private boolean hasProgress(long id) {
        String item = cluster.queryString("SELECT current_item FROM steep_repl.job_progress(" + id + ")");
        return item != null && item.startsWith("step ");
    }

    @Test
    void unknownJobs() {
        CliDriver.Result shown = run("jobs", "show", "987654");
        CliDriver.Result cancelled = run("jobs", "cancel", "987654");

        assertThat(shown.exitCode()).isEqualTo(1);
        assertThat(shown.stderr()).startsWith("error: job 987654 does not exist\nhint: ");
        assertThat(cancelled.exitCode()).isEqualTo(1);
        assertThat(cancelled.stderr()).contains("job 987654 does not exist");
    }

    @Test
    void theServerValidatesWhatTheCliCannot() throws Exception {
        CliDriver.Result attempts = run("jobs", "submit", "ping", "--max-attempts", "0", "--json");
        CliDriver.Result kind = run("jobs", "submit", "Bad Kind!", "--json");

        assertThat(attempts.exitCode()).isEqualTo(1);
        assertThat(json(attempts).get("error").get("sqlstate").asText()).isEqualTo("22023");
        assertThat(kind.exitCode()).isEqualTo(1);
        assertThat(json(kind).get("error").get("sqlstate").asText()).isEqualTo("22023");
    }

    @Test
    void jobsAreRefusedInADatabaseTheWorkerDoesNotServe() {
        CliDriver.Result result = new CliDriver(home).run("jobs", "submit", "ping", "-c",
                cluster.conninfo("other", PgCluster.SUPERUSER));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("hint: ").contains("steep_repl.databases");
        assertThat(cluster.query("other", "SELECT count(*) FROM steep_repl.work_queue").get(0).get(0)).isEqualTo("0");
    }
}
