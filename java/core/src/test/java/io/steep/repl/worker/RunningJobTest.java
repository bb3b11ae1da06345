package io.steep.repl.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.steep.repl.job.Job;
import org.junit.jupiter.api.Test;

class RunningJobTest {
    private static final long SECOND = 1_000_000_000L;

    private static RunningJob job() {
        return new RunningJob(new Job(1, "k", null, "running", "alice", 1, 1, false,
                null, null, null, null, null, 1, null, null, null));
    }

    @Test
    void theFirstCancelReasonSticks() {
        RunningJob job = job();
        assertThat(job.isCancelRequested()).isFalse();

        assertThat(job.requestCancel(RunningJob.CancelReason.REQUESTED, 0)).isTrue();
        assertThat(job.requestCancel(RunningJob.CancelReason.SHUTDOWN, 1)).isFalse();

        assertThat(job.isCancelRequested()).isTrue();
        assertThat(job.cancelReason()).isEqualTo(RunningJob.CancelReason.REQUESTED);
    }

    @Test
    void theStatementIsCancelledTwoSecondsAfterTheFlagAndThenEveryTwoSeconds() {
        RunningJob job = job();
        job.attachBackend(999);
        assertThat(job.backendCancelDue(10 * SECOND)).isFalse();
        assertThat(job.nanosUntilBackendCancel(10 * SECOND)).isEqualTo(-1);

        job.requestCancel(RunningJob.CancelReason.REQUESTED, 10 * SECOND);
        assertThat(job.nanosUntilBackendCancel(11 * SECOND)).isEqualTo(SECOND);
        assertThat(job.backendCancelDue(12 * SECOND - 1)).isFalse();
        assertThat(job.backendCancelDue(12 * SECOND)).isTrue();
        assertThat(job.backendCancelDue(13 * SECOND)).isFalse();
        assertThat(job.backendCancelDue(14 * SECOND)).isTrue();
    }

    @Test
    void noStatementCancelWithoutABackend() {
        RunningJob job = job();
        job.requestCancel(RunningJob.CancelReason.SHUTDOWN, 0);

        assertThat(job.backendCancelDue(10 * SECOND)).isFalse();
        assertThat(job.nanosUntilBackendCancel(10 * SECOND)).isEqualTo(-1);

        job.attachBackend(5);
        assertThat(job.backendCancelDue(10 * SECOND)).isTrue();
    }
}
