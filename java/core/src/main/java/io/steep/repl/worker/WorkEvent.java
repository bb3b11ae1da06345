package io.steep.repl.worker;

import java.sql.SQLException;

/** What wakes the dispatcher besides its one-second tick. */
sealed interface WorkEvent {

    /** {@code NOTIFY steep_repl_work, 'job <id>'}: a job was submitted. */
    record JobSubmitted(long jobId) implements WorkEvent {
    }

    /** {@code NOTIFY steep_repl_work, 'cancel <id>'}: cancel_job() was called on a running job. */
    record CancelRequested(long jobId) implements WorkEvent {
    }

    /** A job's thread has ended; the dispatcher records the outcome. */
    record JobEnded(RunningJob job, JobOutcome outcome) implements WorkEvent {
    }

    /** The LISTEN connection failed, typically because the server is going away. */
    record ListenerFailed(SQLException error) implements WorkEvent {
    }

    /** SIGTERM: stop claiming and let the running jobs end. */
    record ShutdownRequested() implements WorkEvent {
    }
}
