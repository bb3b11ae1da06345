package io.steep.repl.it.worker;

import static io.steep.repl.it.worker.WorkQueueSupport.awaitStatus;
import static io.steep.repl.it.worker.WorkQueueSupport.awaitWorker;
import static io.steep.repl.it.worker.WorkQueueSupport.column;
import static io.steep.repl.it.worker.WorkQueueSupport.submit;
import static org.assertj.core.api.Assertions.assertThat;

import io.steep.repl.testkit.PgCluster;
import io.steep.repl.testkit.Processes;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Server stops and restarts: nothing of steep-repl outlives the server, and no job stays "running". */
class WorkerShutdownIT {
    private static final String LONG_SLEEP = "{\"steps\": 600, \"step_ms\": 100}";

    private PgCluster cluster;

    @BeforeEach
    void start() {
        cluster = WorkQueueSupport.startCluster("shutdown");
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void fastStopLeavesNoSteepReplProcess() {
        long workerPid = awaitWorker(cluster);
        long supervisorPid = cluster.queryLong("SELECT supervisor_pid FROM steep_repl.worker_status()");
        // The classpath is unique to this test JVM's clusters, so other builds' workers do not match.
        String classpath = cluster.queryString("SHOW steep_repl.worker_classpath");
        String workerCommand = Pattern.quote(classpath) + ".*io\\.steep\\.repl\\.cli\\.SteepRepl worker";
        assertThat(Processes.processesMatching(workerCommand)).contains(workerPid);
        long job = submit(cluster, "test.sleep", LONG_SLEEP, 1);
        awaitStatus(cluster, job, "running");

        cluster.stop("fast");

        assertThat(Processes.isAlive(workerPid)).isFalse();
        assertThat(Processes.isAlive(supervisorPid)).isFalse();
        assertThat(Processes.processesMatching(workerCommand)).isEmpty();
    }

    @Test
    void aRestartFailsTheJobThatWasRunning() {
        awaitWorker(cluster);
        long job = submit(cluster, "test.sleep", LONG_SLEEP, 1);
        awaitStatus(cluster, job, "running");

        cluster.restart();

        awaitStatus(cluster, job, "failed");
        assertThat(column(cluster, job, "error_message")).isNotBlank();
        assertThat(column(cluster, job, "finished_at IS NOT NULL")).isEqualTo("t");
        awaitWorker(cluster);
    }
}
