package io.steep.repl.it.worker;

import static io.steep.repl.it.worker.WorkQueueSupport.awaitFinal;
import static io.steep.repl.it.worker.WorkQueueSupport.awaitStatus;
import static io.steep.repl.it.worker.WorkQueueSupport.column;
import static io.steep.repl.it.worker.WorkQueueSupport.status;
import static io.steep.repl.it.worker.WorkQueueSupport.submit;
import static org.assertj.core.api.Assertions.assertThat;

import io.steep.repl.testkit.PgCluster;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What happens to one job: outcome, error, retries, cancel, and the role it runs as. */
class JobExecutionIT {
    private static PgCluster cluster;

    @BeforeAll
    static void start() {
        cluster = WorkQueueSupport.startCluster("jobs", "steep_repl.max_concurrent_jobs", "4");
        cluster.exec("CREATE ROLE alice LOGIN",
                "CREATE TABLE public.secret (v integer)",
                "INSERT INTO public.secret VALUES (1), (2), (3)");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void aJobKeepsRunningAfterItsClientDisconnects() throws SQLException {
        long job;
        try (Connection client = cluster.connect()) {
            job = submit(client, "test.sleep", "{\"steps\": 10, \"step_ms\": 100}", 1);
        }

        awaitFinal(cluster, job);

        assertThat(status(cluster, job)).isEqualTo("complete");
        assertThat(column(cluster, job, "result->>'steps'")).isEqualTo("10");
    }

    @Test
    void cancelStopsARunningJob() throws SQLException {
        long job = submit(cluster, "test.sleep", "{\"steps\": 600, \"step_ms\": 100}", 1);
        awaitStatus(cluster, job, "running");

        cancel(job);

        PgCluster.waitFor(Duration.ofSeconds(10), () -> "cancelled".equals(status(cluster, job)),
                "job " + job + " to be cancelled");
        assertThat(column(cluster, job, "error_message")).isNull();
        assertThat(column(cluster, job, "finished_at IS NOT NULL")).isEqualTo("t");
    }

    @Test
    void cancelInterruptsAStatementThatIgnoresTheFlag() throws SQLException {
        long job = submit(cluster, "test.sql", "{\"sql\": \"SELECT pg_sleep(600)\"}", 1);
        awaitStatus(cluster, job, "running");
        PgCluster.waitFor(Duration.ofSeconds(10), () -> cluster.queryLong(
                "SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(600)' AND state = 'active'") == 1,
                "the job's statement to run");

        cancel(job);

        PgCluster.waitFor(Duration.ofSeconds(20), () -> "cancelled".equals(status(cluster, job)),
                "job " + job + " to be cancelled");
        assertThat(cluster.log()).contains("job " + job + " has not stopped");
    }

    @Test
    void aFailingJobKeepsItsErrorAndIsRetriedUpToMaxAttempts() {
        long job = submit(cluster, "test.sleep",
                "{\"steps\": 2, \"step_ms\": 10, \"fail_at\": 1, \"message\": \"disk on fire\"}", 3);

        awaitStatus(cluster, job, "failed");

        assertThat(column(cluster, job, "attempts")).isEqualTo("3");
        assertThat(column(cluster, job, "error_message")).isEqualTo("disk on fire");
    }

    @Test
    void aRetryThatSucceedsKeepsTheEarlierError() {
        long job = submit(cluster, "test.sleep",
                "{\"steps\": 2, \"step_ms\": 10, \"fail_at\": 1, \"fail_attempts\": 1, \"message\": \"flaky\"}", 2);

        awaitStatus(cluster, job, "complete");

        assertThat(column(cluster, job, "attempts")).isEqualTo("2");
        assertThat(column(cluster, job, "error_message")).isEqualTo("flaky");
    }

    @Test
    void anUnknownKindFailsWithAClearMessage() {
        long job = submit(cluster, "test.nothing", "{}", 1);

        awaitStatus(cluster, job, "failed");

        assertThat(column(cluster, job, "error_message")).isEqualTo("no handler for job kind 'test.nothing'");
    }

    @Test
    void aJobRunsWithThePrivilegesOfItsSubmitter() throws SQLException {
        String countSecret = "{\"sql\": \"SELECT count(*) FROM public.secret\"}";
        long denied;
        try (Connection alice = cluster.connect("postgres", "alice")) {
            denied = submit(alice, "test.sql", countSecret, 1);
        }
        awaitFinal(cluster, denied);
        assertThat(status(cluster, denied)).isEqualTo("failed");
        assertThat(column(cluster, denied, "submitted_by")).isEqualTo("alice");
        assertThat(column(cluster, denied, "error_message")).isEqualTo("permission denied for table secret");

        cluster.exec("GRANT SELECT ON public.secret TO alice");
        long allowed;
        try (Connection alice = cluster.connect("postgres", "alice")) {
            allowed = submit(alice, "test.sql", countSecret, 1);
        }
        awaitFinal(cluster, allowed);
        assertThat(status(cluster, allowed)).isEqualTo("complete");
        assertThat(column(cluster, allowed, "result->>'value'")).isEqualTo("3");
    }

    @Test
    void theJobSessionIsTheSubmittersRole() throws SQLException {
        long job;
        try (Connection alice = cluster.connect("postgres", "alice")) {
            job = submit(alice, "test.sql", "{\"sql\": \"SELECT current_user || '/' || session_user\"}", 1);
        }

        awaitStatus(cluster, job, "complete");

        assertThat(column(cluster, job, "result->>'value'")).isEqualTo("alice/postgres");
    }

    private static void cancel(long job) throws SQLException {
        try (Connection c = cluster.connect(); PreparedStatement ps = c.prepareStatement("SELECT steep_repl.cancel_job(?)")) {
            ps.setLong(1, job);
            ps.execute();
        }
    }
}
