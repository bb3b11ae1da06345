package io.steep.repl.snapshot.apply;

import io.steep.repl.job.ProgressUpdate;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The apply's progress as one picture shared by the loading threads: the phase, bytes of data
 * files read (the percentage of the data phase), rows loaded, tables finished and the table
 * last started. Every change is published; the worker throttles what reaches shared memory.
 * The published percentage is the whole run's: each phase owns a share of 0-100 roughly in
 * proportion to the time it usually takes, and its own percentage fills that share.
 */
final class ApplyProgress {
    private static final Map<String, double[]> SHARES = Map.of(
            "verify", new double[] {0, 10},
            "schema", new double[] {10, 12},
            "data", new double[] {12, 85},
            "post-data", new double[] {85, 98},
            "sequences", new double[] {98, 99},
            "check", new double[] {99, 100});

    private final Consumer<ProgressUpdate> sink;
    private long tablesTotal;
    private String phase = "verify";
    private double percent;
    private long bytesDone;
    private long bytesTotal;
    private long rowsDone;
    private long tablesDone;
    private String current;

    ApplyProgress(Consumer<ProgressUpdate> sink) {
        this.sink = sink;
    }

    /** Enters a phase at 0 %; {@code item} names what it works on, or null. */
    synchronized void phase(String name, String item) {
        phase = name;
        percent = 0;
        current = item;
        publish();
    }

    /** Sets the percentage of the current phase (for phases measured in steps, not bytes). */
    synchronized void percent(double value, String item) {
        percent = value;
        current = item;
        publish();
    }

    /**
     * A post-data object was built: the post-data phase's percentage, or, while index builds run
     * beside the loads, nothing but the item (the data phase's percentage stays by bytes).
     */
    synchronized void postDataBuilt(double value, String item) {
        if (phase.equals("post-data")) {
            percent = value;
        }
        current = item;
        publish();
    }

    /** Starts the data phase; {@code bytesAlready} and {@code rowsAlready} were loaded by an earlier run. */
    synchronized void startData(long tables, long total, long bytesAlready, long rowsAlready, long tablesAlready) {
        phase = "data";
        tablesTotal = tables;
        bytesTotal = total;
        bytesDone = bytesAlready;
        rowsDone = rowsAlready;
        tablesDone = tablesAlready;
        percent = total == 0 ? 100 : bytesDone * 100.0 / total;
        publish();
    }

    synchronized void tableStarted(String table) {
        current = table;
        publish();
    }

    synchronized void bytesRead(long bytes) {
        bytesDone += bytes;
        percent = bytesTotal == 0 ? 100 : bytesDone * 100.0 / bytesTotal;
        publish();
    }

    synchronized void rowsLoaded(long rows) {
        rowsDone += rows;
        publish();
    }

    synchronized void tableFinished() {
        tablesDone++;
        publish();
    }

    synchronized long tablesDone() {
        return tablesDone;
    }

    /** The current phase's percentage mapped into its share of the whole run. */
    double overall() {
        double[] share = SHARES.getOrDefault(phase, new double[] {0, 100});
        return share[0] + (share[1] - share[0]) * Math.max(0, Math.min(100, percent)) / 100;
    }

    private void publish() {
        ProgressUpdate update = ProgressUpdate.phase(phase).withPercent(overall()).withRows(rowsDone)
                .withBytes(bytesDone);
        if (tablesTotal > 0) {
            update = update.withItems(tablesDone, tablesTotal);
        }
        sink.accept(current == null ? update : update.withCurrentItem(current));
    }
}
