package io.steep.repl.it.worker;

import static io.steep.repl.it.worker.WorkQueueSupport.awaitFinal;
import static io.steep.repl.it.worker.WorkQueueSupport.awaitNewWorker;
import static io.steep.repl.it.worker.WorkQueueSupport.awaitStatus;
import static io.steep.repl.it.worker.WorkQueueSupport.awaitWorker;
import static io.steep.repl.it.worker.WorkQueueSupport.column;
import static io.steep.repl.it.worker.WorkQueueSupport.status;
import static io.steep.repl.it.worker.WorkQueueSupport.submit;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steep.repl.testkit.PgCluster;
import io.steep.repl.testkit.Processes;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Java worker as a process: it starts and registers, answers ping, and a killed worker is
 * replaced while the job it was running is failed or retried. A fresh cluster per test keeps
 * the supervisor's restart back-off from carrying over between kills.
 */
class WorkerLifecycleIT {
    /** The bound for a replacement after kill -9 (restart_delay is 1 s by default). */
    private static final Duration REPLACEMENT_BOUND = Duration.ofSeconds(2);
    private static final String LONG_SLEEP = "{\"steps\": 600, \"step_ms\": 100}";

    private PgCluster cluster;

    @BeforeEach
    void start() {
        cluster = WorkQueueSupport.startCluster("lifecycle");
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void theJavaWorkerStartsAndShowsInWorkerStatus() {
        long pid = awaitWorker(cluster);

        assertThat(Processes.isAlive(pid)).isTrue();
        List<String> status = cluster.query("postgres",
                "SELECT java_path, worker_connected_at IS NOT NULL, worker_starts FROM steep_repl.worker_status()").get(0);
        assertThat(status.get(0)).contains("java");
        assertThat(status.get(1)).isEqualTo("t");
        assertThat(Long.parseLong(status.get(2))).isPositive();
        assertThat(Processes.processesMatching("io\\.steep\\.repl\\.cli\\.SteepRepl worker")).contains(pid);
        assertThat(cluster.queryLong("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'steep_repl worker'"))
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void pingCompletesWithTheWorkersFacts() throws Exception {
        long workerPid = awaitWorker(cluster);
        long job = submit(cluster, "ping", "{}", 1);

        awaitFinal(cluster, job);

        assertThat(status(cluster, job)).isEqualTo("complete");
        JsonNode result = new ObjectMapper().readTree(column(cluster, job, "result::text"));
        assertThat(result.get("worker_pid").asLong()).isEqualTo(workerPid);
        assertThat(result.get("server_version").asText()).isEqualTo(cluster.queryString("SHOW server_version"));
        assertThat(result.get("java_version").asText()).isNotBlank();
        assertThat(column(cluster, job, "worker_pid")).isEqualTo(Long.toString(workerPid));
    }

    @Test
    void aKilledWorkerIsReplacedAndItsRunningJobFailed() {
        long oldPid = awaitWorker(cluster);
        long job = submit(cluster, "test.sleep", LONG_SLEEP, 1);
        awaitStatus(cluster, job, "running");

        Processes.kill(oldPid, "KILL");

        long newPid = awaitNewWorker(cluster, oldPid, REPLACEMENT_BOUND);
        assertThat(Processes.isAlive(oldPid)).isFalse();
        awaitStatus(cluster, job, "failed");
        assertThat(column(cluster, job, "error_message")).contains("java worker");
        assertThat(awaitWorker(cluster)).isEqualTo(newPid);
    }

    @Test
    void aJobKilledWithItsWorkerIsRetriedWhenAttemptsRemain() {
        long oldPid = awaitWorker(cluster);
        long job = submit(cluster, "test.sleep", "{\"steps\": 20, \"step_ms\": 100}", 2);
        awaitStatus(cluster, job, "running");

        Processes.kill(oldPid, "KILL");

        awaitNewWorker(cluster, oldPid, WorkQueueSupport.WORKER_TIMEOUT);
        awaitFinal(cluster, job);
        assertThat(status(cluster, job)).isEqualTo("complete");
        assertThat(column(cluster, job, "attempts")).isEqualTo("2");
        assertThat(column(cluster, job, "error_message")).contains("java worker");
    }

    @Test
    void sigtermFailsTheRunningJobSoItCanBeRetried() {
        long oldPid = awaitWorker(cluster);
        long job = submit(cluster, "test.sleep", LONG_SLEEP, 1);
        awaitStatus(cluster, job, "running");

        Processes.kill(oldPid, "TERM");

        awaitStatus(cluster, job, "failed");
        assertThat(column(cluster, job, "error_message")).isEqualTo("java worker stopped while the job was running");
        awaitNewWorker(cluster, oldPid, WorkQueueSupport.WORKER_TIMEOUT);
        assertThat(cluster.log()).contains("steep_repl worker: LOG:  shutting down");
    }
}
