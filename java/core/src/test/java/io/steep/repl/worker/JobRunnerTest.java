package io.steep.repl.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.steep.repl.job.JobCancelledException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

class JobRunnerTest {

    @Test
    void aFailureWithoutCancelFailsTheJobWithItsMessage() {
        JobOutcome outcome = JobRunner.outcomeOf(new IllegalStateException("disk full"), RunningJob.CancelReason.NONE);

        assertThat(outcome).isEqualTo(JobOutcome.failed("disk full"));
    }

    @Test
    void aServerErrorKeepsOnlyTheServersMessage() {
        PSQLException e = new PSQLException(new ServerErrorMessage(
                "SERROR\0VERROR\0C42501\0Mpermission denied for table secret\0"));

        assertThat(JobRunner.outcomeOf(e, RunningJob.CancelReason.NONE))
                .isEqualTo(JobOutcome.failed("permission denied for table secret"));
    }

    @Test
    void aHandlerThatGivesUpByItselfIsCancelled() {
        assertThat(JobRunner.outcomeOf(new JobCancelledException(3), RunningJob.CancelReason.NONE))
                .isEqualTo(JobOutcome.cancelled());
    }

    @Test
    void anyFailureAfterACancelRequestIsTheCancel() {
        // pg_cancel_backend surfaces as "canceling statement due to user request"
        SQLException cancelled = new SQLException("canceling statement due to user request", "57014");

        assertThat(JobRunner.outcomeOf(cancelled, RunningJob.CancelReason.REQUESTED)).isEqualTo(JobOutcome.cancelled());
    }

    @Test
    void aShutdownFailsTheJobSoItCanBeRetried() {
        assertThat(JobRunner.outcomeOf(new JobCancelledException(3), RunningJob.CancelReason.SHUTDOWN))
                .isEqualTo(JobOutcome.failed(JobRunner.SHUTDOWN_MESSAGE));
    }
}
