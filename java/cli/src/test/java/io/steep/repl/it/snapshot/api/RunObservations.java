package io.steep.repl.it.snapshot.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/** Watches one snapshot run from outside: snapshot_progress() samples and steep_repl_progress messages. */
final class RunObservations {
    static final Duration TIMEOUT = Duration.ofSeconds(180);
    static final Set<String> FINAL = Set.of("complete", "failed", "cancelled");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SAMPLE_EVERY_MS = 50;

    private RunObservations() {
    }

    /** One row of snapshot_progress(); numbers are null when the function does not know them. */
    record Sample(String status, String phase, Double percent, int tablesCompleted, int tablesTotal,
            String currentTable, Long rowsDone, Long bytesDone) {
    }

    /** Reads snapshot_progress(id) on {@code session} every 50 ms until the run has ended; the last sample is final. */
    static List<Sample> sampleUntilFinished(Connection session, String snapshotId) throws SQLException,
            InterruptedException {
        List<Sample> samples = new ArrayList<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try (PreparedStatement ps = session.prepareStatement("SELECT status, phase, percent, tables_completed, "
                + "tables_total, current_table, rows_done, bytes_done FROM steep_repl.snapshot_progress(?)")) {
            ps.setString(1, snapshotId);
            while (true) {
                Sample sample;
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).as("progress of " + snapshotId).isTrue();
                    sample = new Sample(rs.getString(1), rs.getString(2), rs.getObject(3, Double.class), rs.getInt(4),
                            rs.getInt(5), rs.getString(6), rs.getObject(7, Long.class), rs.getObject(8, Long.class));
                }
                samples.add(sample);
                if (FINAL.contains(sample.status())) {
                    return samples;
                }
                assertThat(System.nanoTime()).as("snapshot %s still running after %s", snapshotId, TIMEOUT)
                        .isLessThan(deadline);
                Thread.sleep(SAMPLE_EVERY_MS);
            }
        }
    }

    /**
     * The steep_repl_progress messages about {@code jobId} that {@code listener} (already
     * listening) receives, up to and including the job's final one.
     */
    static List<JsonNode> listenUntilFinished(Connection listener, long jobId) throws SQLException, IOException {
        List<JsonNode> messages = new ArrayList<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        PGConnection pg = listener.unwrap(PGConnection.class);
        while (System.nanoTime() < deadline) {
            PGNotification[] got = pg.getNotifications(1000);
            for (PGNotification n : got == null ? new PGNotification[0] : got) {
                JsonNode message = JSON.readTree(n.getParameter());
                if (message.path("job_id").asLong() == jobId) {
                    messages.add(message);
                    if (FINAL.contains(message.path("phase").asText())) {
                        return messages;
                    }
                }
            }
        }
        throw new AssertionError("no final message for job " + jobId + " within " + TIMEOUT + "; got " + messages);
    }

    /** Fails unless {@code value} never goes down from one sample to the next. */
    static void assertNonDecreasing(List<Sample> samples, Function<Sample, ? extends Number> value, String name) {
        for (int i = 1; i < samples.size(); i++) {
            double before = value.apply(samples.get(i - 1)).doubleValue();
            double after = value.apply(samples.get(i)).doubleValue();
            assertThat(after).as("%s from %s to %s", name, samples.get(i - 1), samples.get(i))
                    .isGreaterThanOrEqualTo(before);
        }
    }
}
