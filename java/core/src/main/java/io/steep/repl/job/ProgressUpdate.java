package io.steep.repl.job;

import java.util.Objects;

/**
 * What a job reports about itself: a phase name and whichever counters it knows. Null means
 * "not known", not zero, so readers can tell an empty table from an unmeasured one.
 *
 * @param phase       short name of the current step, e.g. {@code "copy"}
 * @param percent     0..100, or null
 * @param currentItem what is being worked on, e.g. a table name, or null
 */
public record ProgressUpdate(
        String phase,
        Double percent,
        String currentItem,
        Long itemsDone,
        Long itemsTotal,
        Long rowsDone,
        Long bytesDone) {

    public ProgressUpdate {
        Objects.requireNonNull(phase, "phase");
        if (phase.isBlank()) {
            throw new IllegalArgumentException("a progress phase must not be blank");
        }
        percent = clampPercent(percent);
    }

    /** An update with only a phase; add counters with the {@code with...} methods. */
    public static ProgressUpdate phase(String phase) {
        return new ProgressUpdate(phase, null, null, null, null, null, null);
    }

    public ProgressUpdate withPercent(double value) {
        return new ProgressUpdate(phase, value, currentItem, itemsDone, itemsTotal, rowsDone, bytesDone);
    }

    public ProgressUpdate withCurrentItem(String item) {
        return new ProgressUpdate(phase, percent, item, itemsDone, itemsTotal, rowsDone, bytesDone);
    }

    public ProgressUpdate withItems(long done, long total) {
        return new ProgressUpdate(phase, percent, currentItem, done, total, rowsDone, bytesDone);
    }

    public ProgressUpdate withRows(long done) {
        return new ProgressUpdate(phase, percent, currentItem, itemsDone, itemsTotal, done, bytesDone);
    }

    public ProgressUpdate withBytes(long done) {
        return new ProgressUpdate(phase, percent, currentItem, itemsDone, itemsTotal, rowsDone, done);
    }

    // Rounding in callers (done * 100.0 / total) can overshoot slightly; readers expect 0..100.
    private static Double clampPercent(Double value) {
        if (value == null || value.isNaN()) {
            return null;
        }
        return Math.max(0.0, Math.min(100.0, value));
    }
}
