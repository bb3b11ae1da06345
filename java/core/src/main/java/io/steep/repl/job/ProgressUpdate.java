package io.steep.repl.job;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a job reports about itself: a phase name and whichever counters it knows. Null means
 * "not known", not zero, so readers can tell an empty table from an unmeasured one.
 *
 * @param phase       short name of the current step, e.g. {@code "copy"}
 * @param percent     0..100, or null
 * @param currentItem what is being worked on, e.g. a table name, or null
 * @param op          the {@code "op"} of the progress notification, e.g. {@code "snapshot"}; null means
 *                    {@code "job"}
 * @param details     further notification fields (string, number or boolean values), e.g. a
 *                    snapshot id; never null, in insertion order
 */
public record ProgressUpdate(
        String phase,
        Double percent,
        String currentItem,
        Long itemsDone,
        Long itemsTotal,
        Long rowsDone,
        Long bytesDone,
        String op,
        Map<String, Object> details) {

    public ProgressUpdate {
        Objects.requireNonNull(phase, "phase");
        if (phase.isBlank()) {
            throw new IllegalArgumentException("a progress phase must not be blank");
        }
        percent = clampPercent(percent);
        details = details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** An update of the ordinary {@code "job"} notification shape, without details. */
    public ProgressUpdate(String phase, Double percent, String currentItem, Long itemsDone, Long itemsTotal,
            Long rowsDone, Long bytesDone) {
        this(phase, percent, currentItem, itemsDone, itemsTotal, rowsDone, bytesDone, null, null);
    }

    /** An update with only a phase; add counters with the {@code with...} methods. */
    public static ProgressUpdate phase(String phase) {
        return new ProgressUpdate(phase, null, null, null, null, null, null);
    }

    public ProgressUpdate withPercent(double value) {
        return new ProgressUpdate(phase, value, currentItem, itemsDone, itemsTotal, rowsDone, bytesDone, op, details);
    }

    public ProgressUpdate withCurrentItem(String item) {
        return new ProgressUpdate(phase, percent, item, itemsDone, itemsTotal, rowsDone, bytesDone, op, details);
    }

    public ProgressUpdate withItems(long done, long total) {
        return new ProgressUpdate(phase, percent, currentItem, done, total, rowsDone, bytesDone, op, details);
    }

    public ProgressUpdate withRows(long done) {
        return new ProgressUpdate(phase, percent, currentItem, itemsDone, itemsTotal, done, bytesDone, op, details);
    }

    public ProgressUpdate withBytes(long done) {
        return new ProgressUpdate(phase, percent, currentItem, itemsDone, itemsTotal, rowsDone, done, op, details);
    }

    /** Announces the update under another notification {@code "op"} than {@code "job"}. */
    public ProgressUpdate withOp(String value) {
        return new ProgressUpdate(phase, percent, currentItem, itemsDone, itemsTotal, rowsDone, bytesDone, value, details);
    }

    /**
     * Adds (or replaces) a notification field. Names the notification already uses (op, job_id,
     * kind, phase, error, will_retry and the counters) are not overridden by a detail.
     */
    public ProgressUpdate withDetail(String name, Object value) {
        Objects.requireNonNull(name, "name");
        if (value != null && !(value instanceof String || value instanceof Number || value instanceof Boolean)) {
            throw new IllegalArgumentException("a progress detail is a string, number or boolean, not "
                    + value.getClass().getName());
        }
        Map<String, Object> copy = new LinkedHashMap<>(details);
        copy.put(name, value);
        return new ProgressUpdate(phase, percent, currentItem, itemsDone, itemsTotal, rowsDone, bytesDone, op, copy);
    }

    // Rounding in callers (done * 100.0 / total) can overshoot slightly; readers expect 0..100.
    private static Double clampPercent(Double value) {
        if (value == null || value.isNaN()) {
            return null;
        }
        return Math.max(0.0, Math.min(100.0, value));
    }
}
