package io.steep.repl.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steep.repl.job.JobHandler;
import io.steep.repl.job.ProgressUpdate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The reporter against a recording store, on the real clock: results are checked, never durations. */
class ProgressReporterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Records what would have gone to the database. */
    private static final class RecordingStore implements ProgressStore {
        final List<ProgressUpdate> writes = new ArrayList<>();
        final List<Boolean> cancelFlags = new ArrayList<>();
        final List<JsonNode> notifications = new ArrayList<>();
        final List<Long> released = new ArrayList<>();

        @Override
        public synchronized void write(long jobId, String kind, ProgressUpdate update, Double rowsPerSec,
                Double bytesPerSec, boolean cancelRequested) {
            writes.add(update);
            cancelFlags.add(cancelRequested);
        }

        @Override
        public synchronized void sendNotification(String payload) {
            try {
                notifications.add(JSON.readTree(payload));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public synchronized void release(long jobId) {
            released.add(jobId);
        }

        @Override
        public void close() {
        }

        synchronized ProgressUpdate lastWrite() {
            return writes.isEmpty() ? null : writes.get(writes.size() - 1);
        }

        synchronized JsonNode lastNotification() {
            return notifications.isEmpty() ? null : notifications.get(notifications.size() - 1);
        }
    }

    private final RecordingStore store = new RecordingStore();
    private final ProgressReporter reporter = new ProgressReporter(store, System::nanoTime);

    @AfterEach
    void close() {
        reporter.close();
    }

    private static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never happened: " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void theLatestStateAlwaysLandsAndBurstsAreThrottled() throws Exception {
        reporter.begin(1, "test.sleep", JobHandler.startingPhase());
        long start = System.nanoTime();
        for (int i = 1; i <= 5000; i++) {
            reporter.report(1, ProgressUpdate.phase("running").withItems(i, 5000));
        }
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        ProgressUpdate newest = ProgressUpdate.phase("running").withItems(5000, 5000);

        eventually(() -> newest.equals(store.lastWrite()), "the newest state in shared memory");
        eventually(() -> store.lastNotification() != null
                && store.lastNotification().path("items_done").asLong() == 5000, "the newest state notified");
        synchronized (store) {
            // "starting", then at most one write per 20 ms of reporting, plus the trailing one
            assertThat(store.writes.size()).isLessThanOrEqualTo(2 + (int) (elapsedMs / 20) + 1);
            assertThat(store.notifications.get(0).get("phase").asText()).isEqualTo("starting");
        }
    }

    @Test
    void everyPhaseChangeIsNotified() throws Exception {
        reporter.begin(2, "k", JobHandler.startingPhase());
        for (String phase : List.of("schema", "copy", "index", "verify")) {
            reporter.report(2, ProgressUpdate.phase(phase));
        }

        eventually(() -> store.lastNotification() != null
                && store.lastNotification().get("phase").asText().equals("verify"), "the last phase notified");
        synchronized (store) {
            assertThat(store.notifications).extracting(n -> n.get("phase").asText())
                    .containsExactly("starting", "schema", "copy", "index", "verify");
        }
    }

    @Test
    void theEndFreesTheSlotAndSendsTheFinalMessage() throws Exception {
        reporter.begin(3, "k", JobHandler.startingPhase());
        reporter.report(3, ProgressUpdate.phase("copy").withPercent(40));
        reporter.end(3, JobOutcome.failed("boom"), false);
        reporter.report(3, ProgressUpdate.phase("late")); // after the end: ignored

        eventually(() -> store.lastNotification() != null
                && store.lastNotification().get("phase").asText().equals("failed"), "the final message");
        synchronized (store) {
            assertThat(store.released).containsExactly(3L);
            assertThat(store.lastNotification().has("error")).isFalse();
            assertThat(store.writes).noneMatch(u -> u.phase().equals("late"));
        }
    }

    @Test
    void aCancelRequestShowsInSharedMemory() throws Exception {
        reporter.begin(4, "k", JobHandler.startingPhase());
        eventually(() -> store.lastWrite() != null, "the first write");

        reporter.cancelRequested(4);

        eventually(() -> {
            synchronized (store) {
                return store.cancelFlags.get(store.cancelFlags.size() - 1);
            }
        }, "a write with cancel_requested");
    }
}
