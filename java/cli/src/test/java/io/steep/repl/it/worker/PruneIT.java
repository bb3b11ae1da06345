package io.steep.repl.it.worker;

import static io.steep.repl.it.worker.WorkQueueSupport.awaitFinal;
import static io.steep.repl.it.worker.WorkQueueSupport.awaitNewWorker;
import static io.steep.repl.it.worker.WorkQueueSupport.awaitWorker;
import static io.steep.repl.it.worker.WorkQueueSupport.submit;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steep.repl.testkit.PgCluster;
import io.steep.repl.testkit.Processes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Finished jobs older than steep_repl.job_retention are deleted by the worker, with an audit
 * row. The worker prunes when it starts and every minute; the test restarts it (SIGTERM) rather
 * than waiting a minute.
 */
class PruneIT {
    private static PgCluster cluster;

    @BeforeAll
    static void start() {
        cluster = WorkQueueSupport.startCluster("prune", "steep_repl.job_retention", "1min");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void oldFinishedJobsArePrunedWithAnAuditRow() throws Exception {
        long old1 = submit(cluster, "ping", "{}", 1);
        long old2 = submit(cluster, "ping", "{}", 1);
        long recent = submit(cluster, "ping", "{}", 1);
        awaitFinal(cluster, old1);
        awaitFinal(cluster, old2);
        awaitFinal(cluster, recent);
        cluster.exec("UPDATE steep_repl.work_queue SET created_at = now() - interval '2 hours', "
                + "finished_at = now() - interval '1 hour' WHERE id IN (" + old1 + ", " + old2 + ")");

        long worker = awaitWorker(cluster);
        Processes.kill(worker, "TERM");
        awaitNewWorker(cluster, worker, WorkQueueSupport.WORKER_TIMEOUT);

        PgCluster.waitFor(Duration.ofSeconds(90), () -> cluster.queryLong(
                "SELECT count(*) FROM steep_repl.work_queue WHERE id IN (" + old1 + ", " + old2 + ")") == 0,
                "the old jobs to be pruned");
        assertThat(cluster.queryLong("SELECT count(*) FROM steep_repl.work_queue WHERE id = " + recent)).isEqualTo(1);
        String details = cluster.queryString(
                "SELECT details::text FROM steep_repl.audit_log WHERE action = 'job.prune' ORDER BY id DESC LIMIT 1");
        assertThat(prunedIds(details)).containsExactlyInAnyOrder(old1, old2);
    }

    /** Every number inside a JSON array of the audit details: the pruned ids. */
    private static List<Long> prunedIds(String details) throws Exception {
        List<Long> ids = new ArrayList<>();
        collectArrayNumbers(new ObjectMapper().readTree(details), ids);
        return ids;
    }

    private static void collectArrayNumbers(JsonNode node, List<Long> ids) {
        if (node.isArray()) {
            node.forEach(element -> {
                if (element.isIntegralNumber()) {
                    ids.add(element.asLong());
                } else {
                    collectArrayNumbers(element, ids);
                }
            });
        } else if (node.isObject()) {
            node.forEach(child -> collectArrayNumbers(child, ids));
        }
    }
}
