package io.steep.repl.worker;

import io.steep.repl.job.ProgressUpdate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Decides, for one job, when its progress goes to shared memory and when to NOTIFY. A handler
 * may report thousands of times a second; shared memory gets at most one write per
 * {@link #SHARED_MEMORY_INTERVAL} and listeners one message per {@link #NOTIFY_INTERVAL}, except
 * that every phase is announced, even one that lasted less than a flush. The latest state is
 * never dropped: whatever was held back becomes due later ({@link Flush#nanosUntilNext()}).
 * Pure logic on a caller-supplied clock; not thread-safe (the reporter guards it).
 */
final class ProgressThrottle {
    static final Duration SHARED_MEMORY_INTERVAL = Duration.ofMillis(20);
    static final Duration NOTIFY_INTERVAL = Duration.ofMillis(250);
    /** A handler flipping between phases in a loop must not turn into a NOTIFY storm. */
    static final int MAX_HELD_PHASES = 8;

    private static final long SHM_NANOS = SHARED_MEMORY_INTERVAL.toNanos();
    private static final long NOTIFY_NANOS = NOTIFY_INTERVAL.toNanos();

    /**
     * What to publish now.
     *
     * @param update         the latest state
     * @param notifications  the messages to send, oldest first (empty when none is due)
     * @param nanosUntilNext when held-back state becomes due, as {@link #nanosUntilDue}
     */
    record Flush(ProgressUpdate update, boolean writeSharedMemory, List<ProgressUpdate> notifications,
            long nanosUntilNext) {
    }

    private ProgressUpdate latest;
    /** The newest state of each phase entered since the last notification. */
    private final List<ProgressUpdate> newPhases = new ArrayList<>();
    private boolean sharedMemoryDirty;
    private boolean notifyDirty;
    private boolean everWritten;
    private long lastWriteNanos;
    private long lastNotifyNanos;
    private String writtenPhase;

    /** Records the newest state; nothing is published until {@link #take(long)}. */
    void offer(ProgressUpdate update) {
        Objects.requireNonNull(update, "update");
        boolean newPhase = latest == null || !latest.phase().equals(update.phase());
        if (newPhase) {
            if (newPhases.size() == MAX_HELD_PHASES) {
                newPhases.remove(0);
            }
            newPhases.add(update);
        } else if (!newPhases.isEmpty()) {
            newPhases.set(newPhases.size() - 1, update);
        }
        latest = update;
        sharedMemoryDirty = true;
        notifyDirty = true;
    }

    /** Makes shared memory due again for the same state (e.g. the cancel flag changed). */
    void touchSharedMemory() {
        if (latest != null) {
            sharedMemoryDirty = true;
        }
    }

    ProgressUpdate latest() {
        return latest;
    }

    /** Nanoseconds from {@code now} until {@link #take} has something to publish: 0 = now, -1 = nothing held back. */
    long nanosUntilDue(long now) {
        long wait = -1;
        if (sharedMemoryDirty) {
            wait = sharedMemoryWait(now);
        }
        if (notifyDirty) {
            long notifyWait = notifyWait(now);
            wait = wait < 0 ? notifyWait : Math.min(wait, notifyWait);
        }
        return wait;
    }

    /** Takes what is due at {@code now} and marks it published. */
    Flush take(long now) {
        boolean write = sharedMemoryDirty && sharedMemoryWait(now) == 0;
        List<ProgressUpdate> notifications = List.of();
        if (notifyDirty && notifyWait(now) == 0) {
            // The last held phase entry is the latest state, so it stands for the periodic message too.
            notifications = newPhases.isEmpty() ? List.of(latest) : List.copyOf(newPhases);
            newPhases.clear();
            notifyDirty = false;
            lastNotifyNanos = now;
        }
        if (write) {
            sharedMemoryDirty = false;
            everWritten = true;
            lastWriteNanos = now;
            writtenPhase = latest.phase();
        }
        return new Flush(latest, write, notifications, nanosUntilDue(now));
    }

    // The first write and a new phase are due at once; otherwise when the interval has passed.
    private long sharedMemoryWait(long now) {
        if (!everWritten || !latest.phase().equals(writtenPhase)) {
            return 0;
        }
        return Math.max(0, SHM_NANOS - (now - lastWriteNanos));
    }

    private long notifyWait(long now) {
        if (!newPhases.isEmpty()) {
            return 0;
        }
        return Math.max(0, NOTIFY_NANOS - (now - lastNotifyNanos));
    }
}
