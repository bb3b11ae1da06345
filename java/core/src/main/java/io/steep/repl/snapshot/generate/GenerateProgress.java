package io.steep.repl.snapshot.generate;

import io.steep.repl.job.JobContext;
import io.steep.repl.job.ProgressUpdate;
import io.steep.repl.job.RunShape;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The run's progress as the snapshot API shows it: phase (plan, schema, data, sequences,
 * manifest), percent by bytes, current table, tables completed of total, rows and bytes copied
 * and the copy rate. Copy threads report here; the job context throttles what is published.
 * Notifications go out as {@code {"op":"snapshot","snapshot_id":...,"table":...}}.
 */
final class GenerateProgress {
    /** Share of the percentage the data phase covers; the rest is schema, sequences and manifest. */
    private static final double DATA_SHARE = 97.0;
    private static final double DATA_START = 1.0;

    private final JobContext context;
    private final String snapshotId;
    private final LongSupplier clock;
    private String phase = "plan";
    private int tablesTotal;
    private int tablesCompleted;
    private long estimatedTotal = 1;
    private long estimatedDone;
    private long rowsDone;
    private long rawBytesDone;
    private long dataStartNanos;
    private String currentTable;
    private final Map<Integer, Integer> partsLeft = new HashMap<>();

    GenerateProgress(JobContext context, String snapshotId, LongSupplier clock) {
        this.context = context;
        this.snapshotId = snapshotId;
        this.clock = clock;
    }

    synchronized void phase(String name) {
        phase = name;
        if (name.equals("data")) {
            dataStartNanos = clock.getAsLong();
        }
        publish();
    }

    synchronized void planned(SnapshotPlan plan) {
        tablesTotal = plan.tables().size();
        estimatedTotal = Math.max(1, plan.estimatedBytes());
        plan.tables().forEach(t -> partsLeft.put(t.number(), t.parts().size()));
        publish();
    }

    synchronized void partStarted(SnapshotPlan.Table table) {
        currentTable = table.display();
        publish();
    }

    synchronized void copied(long rows, long rawBytes) {
        rowsDone += rows;
        rawBytesDone += rawBytes;
        publish();
    }

    synchronized void partFinished(SnapshotPlan.Table table, SnapshotPlan.Part part) {
        estimatedDone += part.estimatedBytes();
        int left = partsLeft.merge(table.number(), -1, Integer::sum);
        if (left == 0) {
            tablesCompleted++;
        }
        publish();
    }

    synchronized int tablesCompleted() {
        return tablesCompleted;
    }

    private double percent() {
        return switch (phase) {
            case "plan", "schema" -> 0.0;
            case "data" -> DATA_START + DATA_SHARE * Math.min(1.0, dataFraction());
            default -> DATA_START + DATA_SHARE;
        };
    }

    // Finished parts count with their planned size; running ones with what they copied so far,
    // capped, since COPY output is not the size of the heap it came from.
    private double dataFraction() {
        return Math.min(estimatedTotal, Math.max(estimatedDone, Math.min(rawBytesDone, estimatedTotal)))
                / (double) estimatedTotal;
    }

    private void publish() {
        ProgressUpdate update = RunShape.SNAPSHOT.of(ProgressUpdate.phase(phase).withPercent(percent())
                .withItems(tablesCompleted, tablesTotal).withRows(rowsDone).withBytes(rawBytesDone), snapshotId)
                .withDetail("tables_completed", tablesCompleted).withDetail("tables_total", tablesTotal);
        if (currentTable != null) {
            update = update.withCurrentItem(currentTable).withDetail("table", currentTable);
        }
        long elapsed = clock.getAsLong() - dataStartNanos;
        if (dataStartNanos != 0 && elapsed > 0) {
            update = update.withDetail("bytes_per_sec", Math.round(rawBytesDone * 1e9 / elapsed));
        }
        context.progress(update);
    }
}
