package io.steep.repl.it.worker;

import static io.steep.repl.it.worker.WorkQueueSupport.awaitFinal;
import static io.steep.repl.it.worker.WorkQueueSupport.submit;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steep.repl.testkit.PgCluster;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/** Progress a job reports reaches job_progress() in other sessions and LISTENers of steep_repl_progress. */
class ProgressIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static PgCluster cluster;

    @BeforeAll
    static void start() {
        cluster = WorkQueueSupport.startCluster("progress");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void progressIsVisibleToOtherSessionsAndNotified() throws Exception {
        try (Connection listener = cluster.connect()) {
            listen(listener);
            long job = submit(cluster, "test.sleep", "{\"steps\": 20, \"step_ms\": 150, \"phase\": \"copy\"}", 1);

            PgCluster.waitFor(Duration.ofSeconds(30), () -> cluster.queryLong(
                    "SELECT count(*) FROM steep_repl.job_progress(" + job + ") WHERE phase = 'copy' AND percent > 0 "
                            + "AND current_item LIKE 'step %/20' AND items_total = 20 AND kind = 'test.sleep'") == 1,
                    "job " + job + " progress in job_progress()");

            List<JsonNode> messages = receiveUntilEnd(listener, job);
            awaitFinal(cluster, job);

            JsonNode running = messages.stream().filter(m -> m.path("phase").asText().equals("copy")
                    && m.has("percent") && m.has("item")).findFirst().orElseThrow();
            assertThat(running.get("op").asText()).isEqualTo("job");
            assertThat(running.get("kind").asText()).isEqualTo("test.sleep");
            assertThat(running.get("item").asText()).matches("step \\d+/20");
            JsonNode last = messages.get(messages.size() - 1);
            assertThat(last.get("phase").asText()).isEqualTo("complete");
            assertThat(last.get("percent").asDouble()).isEqualTo(100.0);
            assertThat(cluster.queryLong("SELECT count(*) FROM steep_repl.job_progress(" + job + ")")).isZero();
        }
    }

    @Test
    void theLastMessageOfAFailedJobCarriesNoErrorTextWhichOnlyTheSubmitterMayRead() throws Exception {
        try (Connection listener = cluster.connect()) {
            listen(listener);
            long job = submit(cluster, "test.sleep",
                    "{\"steps\": 3, \"step_ms\": 50, \"fail_at\": 2, \"message\": \"out of coffee\"}", 1);

            List<JsonNode> messages = receiveUntilEnd(listener, job);

            JsonNode last = messages.get(messages.size() - 1);
            assertThat(last.get("phase").asText()).isEqualTo("failed");
            assertThat(last.has("error")).isFalse();
            assertThat(messages.toString()).doesNotContain("out of coffee");
            assertThat(cluster.queryString("SELECT error_message FROM steep_repl.jobs WHERE id = " + job))
                    .isEqualTo("out of coffee");
        }
    }

    private static void listen(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("LISTEN steep_repl_progress");
        }
    }

    /** The job's messages, in order, up to and including the one with a final phase. */
    private static List<JsonNode> receiveUntilEnd(Connection listener, long job) throws Exception {
        PGConnection pg = listener.unwrap(PGConnection.class);
        List<JsonNode> messages = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            PGNotification[] received = pg.getNotifications(500);
            if (received == null) {
                continue;
            }
            for (PGNotification n : received) {
                JsonNode message = JSON.readTree(n.getParameter());
                if (message.path("job_id").asLong() != job) {
                    continue;
                }
                messages.add(message);
                if (WorkQueueSupport.FINAL.contains(message.path("phase").asText())) {
                    return messages;
                }
            }
        }
        throw new AssertionError("no final progress message for job " + job + "; got " + messages);
    }
}
