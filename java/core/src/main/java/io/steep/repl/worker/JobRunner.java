package io.steep.repl.worker;

import io.steep.repl.job.Job;
import io.steep.repl.job.JobCancelledException;
import io.steep.repl.job.JobContext;
import io.steep.repl.job.JobHandler;
import io.steep.repl.job.JobHandlers;
import io.steep.repl.job.JobSession;
import io.steep.repl.job.ServerAccess;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Consumer;
import org.postgresql.PGConnection;

/**
 * Runs one claimed job on its own thread: opens the job's connection, makes it the submitter's
 * session for good ({@link JobSession}), calls the handler and hands the outcome to the
 * dispatcher. The connection is closed afterwards and never reused: it can never become the
 * worker's again, and code owned by the submitter could have changed its session state.
 */
final class JobRunner implements Runnable {
    static final String SHUTDOWN_MESSAGE = "java worker stopped while the job was running";

    @FunctionalInterface
    interface ConnectionOpener {
        Connection open(String applicationName) throws SQLException;

        /** A logical replication connection as the superuser; unsupported unless the opener knows the server. */
        default Connection openReplication(String applicationName) throws SQLException {
            throw new SQLException("no replication connections");
        }

        /** How subprocesses of the job reach the server for {@code role}; unsupported unless the opener knows the server. */
        default ServerAccess serverAccess(String role, long jobId) {
            throw new UnsupportedOperationException("no server access for subprocesses");
        }
    }

    private final RunningJob running;
    private final JobHandlers handlers;
    private final ConnectionOpener connections;
    private final ProgressReporter reporter;
    private final Consumer<WorkEvent> events;

    JobRunner(RunningJob running, JobHandlers handlers, ConnectionOpener connections, ProgressReporter reporter,
            Consumer<WorkEvent> events) {
        this.running = running;
        this.handlers = handlers;
        this.connections = connections;
        this.reporter = reporter;
        this.events = events;
    }

    @Override
    public void run() {
        JobOutcome outcome;
        try {
            outcome = execute();
        } catch (Throwable failure) {
            // Whatever a handler throws, even an Error, the job must end; otherwise it would
            // hold a concurrency slot and stay "running" until the worker restarts.
            outcome = outcomeOf(failure, running.cancelReason());
        }
        events.accept(new WorkEvent.JobEnded(running, outcome));
    }

    private JobOutcome execute() throws Exception {
        Job job = running.job();
        Optional<JobHandler> handler = handlers.find(job.kind());
        if (handler.isEmpty()) {
            return JobOutcome.failed("no handler for job kind '" + job.kind() + "'");
        }
        if (job.paramsError() != null) {
            return JobOutcome.failed(job.paramsError());
        }
        Connection connection = connections.open("steep_repl job " + job.id());
        HandlerConnections extra = null;
        try {
            running.attachBackend(connection.unwrap(PGConnection.class).getBackendPID());
            String role = JobSession.enter(connection, job.id());
            extra = new HandlerConnections(running, connections, role);
            JobContext context = new JobContext(job, connection, update -> reporter.report(job.id(), update),
                    running::isCancelRequested, extra);
            return JobOutcome.complete(handler.get().run(context));
        } finally {
            // Forget the pid first: once closed it may belong to another session, which a late
            // backend cancel must not hit.
            running.attachBackend(0);
            if (extra != null) {
                extra.closeAll();
            }
            Worker.closeQuietly(connection);
        }
    }

    /**
     * A failure after a cancel request is the cancel taking effect (a handler may see it as a
     * JobCancelledException or as a cancelled statement). A worker shutdown is not the user's
     * cancel: the job is failed, so the queue retries it when attempts remain.
     */
    static JobOutcome outcomeOf(Throwable failure, RunningJob.CancelReason reason) {
        return switch (reason) {
            case REQUESTED -> JobOutcome.cancelled();
            case SHUTDOWN -> JobOutcome.failed(SHUTDOWN_MESSAGE);
            case NONE -> failure instanceof JobCancelledException
                    ? JobOutcome.cancelled()
                    : JobOutcome.failed(ErrorMessages.describe(failure));
        };
    }

}
