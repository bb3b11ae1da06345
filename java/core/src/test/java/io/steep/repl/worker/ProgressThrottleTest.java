package io.steep.repl.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.steep.repl.job.ProgressUpdate;
import org.junit.jupiter.api.Test;

class ProgressThrottleTest {
    private static final long MS = 1_000_000L;
    private static final long T0 = 1_000_000 * MS; // an arbitrary clock origin

    private final ProgressThrottle throttle = new ProgressThrottle();

    private static ProgressUpdate step(String phase, int i) {
        return ProgressUpdate.phase(phase).withPercent(i).withCurrentItem("step " + i);
    }

    @Test
    void nothingIsDueBeforeTheFirstReport() {
        assertThat(throttle.nanosUntilDue(T0)).isEqualTo(-1);
    }

    @Test
    void theFirstReportIsPublishedAtOnceEverywhere() {
        throttle.offer(step("copy", 1));

        assertThat(throttle.nanosUntilDue(T0)).isZero();
        ProgressThrottle.Flush flush = throttle.take(T0);
        assertThat(flush.writeSharedMemory()).isTrue();
        assertThat(flush.notifications()).containsExactly(step("copy", 1));
        assertThat(flush.update()).isEqualTo(step("copy", 1));
        assertThat(flush.nanosUntilNext()).isEqualTo(-1);
    }

    @Test
    void sharedMemoryIsWrittenAtMostEvery20Ms() {
        throttle.offer(step("copy", 1));
        throttle.take(T0);

        throttle.offer(step("copy", 2));
        assertThat(throttle.nanosUntilDue(T0 + 5 * MS)).isEqualTo(15 * MS);
        ProgressThrottle.Flush early = throttle.take(T0 + 5 * MS);
        assertThat(early.writeSharedMemory()).isFalse();
        assertThat(early.notifications()).isEmpty();
        assertThat(early.nanosUntilNext()).isEqualTo(15 * MS);

        ProgressThrottle.Flush due = throttle.take(T0 + 20 * MS);
        assertThat(due.writeSharedMemory()).isTrue();
        assertThat(due.update()).isEqualTo(step("copy", 2));
        assertThat(due.notifications()).isEmpty();
        assertThat(due.nanosUntilNext()).isEqualTo(230 * MS);
    }

    @Test
    void notificationsGoOutAtMostEvery250MsButTheLatestStateFollows() {
        throttle.offer(step("copy", 1));
        throttle.take(T0);
        int notifications = 0;
        int writes = 0;
        // One report per millisecond for about a second; a flush runs whenever something is due,
        // the way the reporter schedules it.
        long nextDue = -1;
        for (int i = 2; i <= 1010; i++) {
            long now = T0 + (i - 1) * MS;
            throttle.offer(step("copy", i));
            long wait = throttle.nanosUntilDue(now);
            if (wait >= 0) {
                nextDue = nextDue < 0 ? now + wait : Math.min(nextDue, now + wait);
            }
            if (now >= nextDue) {
                ProgressThrottle.Flush flush = throttle.take(now);
                writes += flush.writeSharedMemory() ? 1 : 0;
                notifications += flush.notifications().size();
                nextDue = flush.nanosUntilNext() < 0 ? -1 : now + flush.nanosUntilNext();
            }
        }
        assertThat(writes).isEqualTo(50);         // at 20, 40, ... 1000 ms
        assertThat(notifications).isEqualTo(4);   // at 250, 500, 750, 1000 ms
        assertThat(nextDue).isEqualTo(T0 + 1020 * MS); // the last report is still owed...

        ProgressThrottle.Flush last = throttle.take(nextDue);
        assertThat(last.update()).isEqualTo(step("copy", 1010)); // ...and it is the newest one
        assertThat(last.writeSharedMemory()).isTrue();
        assertThat(last.notifications()).isEmpty();
        assertThat(last.nanosUntilNext()).isEqualTo(230 * MS);
    }

    @Test
    void aPhaseChangeIsPublishedImmediately() {
        throttle.offer(step("copy", 1));
        throttle.take(T0);

        throttle.offer(step("index", 0));

        assertThat(throttle.nanosUntilDue(T0 + MS)).isZero();
        ProgressThrottle.Flush flush = throttle.take(T0 + MS);
        assertThat(flush.writeSharedMemory()).isTrue();
        assertThat(flush.notifications()).containsExactly(step("index", 0));
    }

    @Test
    void everyPhaseIsAnnouncedEvenIfItEndedBeforeTheFlush() {
        throttle.offer(step("copy", 1));
        throttle.take(T0);

        throttle.offer(step("schema", 1));
        throttle.offer(step("schema", 2));
        throttle.offer(step("index", 1));
        throttle.offer(step("verify", 1));
        ProgressThrottle.Flush flush = throttle.take(T0 + MS);

        assertThat(flush.notifications()).containsExactly(step("schema", 2), step("index", 1), step("verify", 1));
        assertThat(flush.update()).isEqualTo(step("verify", 1));
        assertThat(flush.nanosUntilNext()).isEqualTo(-1);
    }

    @Test
    void aPhaseFlippingHandlerCannotQueueUnboundedMessages() {
        throttle.offer(step("a", 0));
        throttle.take(T0);
        for (int i = 0; i < 100; i++) {
            throttle.offer(step(i % 2 == 0 ? "b" : "a", i));
        }

        assertThat(throttle.take(T0 + MS).notifications()).hasSize(ProgressThrottle.MAX_HELD_PHASES)
                .endsWith(step("a", 99));
    }

    @Test
    void aHeldBackNotificationIsSentWhenItsIntervalEnds() {
        throttle.offer(step("copy", 1));
        throttle.take(T0);
        throttle.offer(step("copy", 2));
        throttle.take(T0 + 20 * MS); // shared memory only

        assertThat(throttle.nanosUntilDue(T0 + 100 * MS)).isEqualTo(150 * MS);
        ProgressThrottle.Flush flush = throttle.take(T0 + 250 * MS);
        assertThat(flush.notifications()).containsExactly(step("copy", 2));
        assertThat(flush.writeSharedMemory()).isFalse();
        assertThat(flush.nanosUntilNext()).isEqualTo(-1);
    }

    @Test
    void touchingRewritesSharedMemoryWithoutANotification() {
        throttle.offer(step("copy", 1));
        throttle.take(T0);

        throttle.touchSharedMemory();
        ProgressThrottle.Flush flush = throttle.take(T0 + 20 * MS);

        assertThat(flush.writeSharedMemory()).isTrue();
        assertThat(flush.notifications()).isEmpty();
    }
}
