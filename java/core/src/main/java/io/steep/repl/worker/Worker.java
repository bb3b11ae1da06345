package io.steep.repl.worker;

import io.steep.repl.job.JobHandlers;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ServiceConfigurationError;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The Java worker process (docs/worker.md): connects back to the server, clears jobs a previous
 * worker left running, and runs the dispatcher until SIGTERM or until the server goes away.
 * Its exit status tells the supervisor what happened; any exit makes it start a new worker.
 */
public final class Worker {
    static final String APPLICATION_NAME = "steep_repl worker";
    static final String ORPHAN_REASON = "java worker restarted while the job was running";
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(3);

    private Worker() {
    }

    /** Runs the worker; returns 0 after a requested shutdown, 1 after a failure. */
    public static int run(WorkerEnvironment env) {
        long pid = ProcessHandle.current().pid();
        WorkerLog.info("starting: java " + Runtime.version() + ", supervisor pid " + env.supervisorPid()
                + ", database \"" + env.database() + "\" via " + env.socketPath());
        JobHandlers handlers;
        try {
            handlers = JobHandlers.load(Thread.currentThread().getContextClassLoader());
        } catch (ServiceConfigurationError | IllegalStateException e) {
            WorkerLog.error("cannot load the job handlers: " + e.getMessage());
            return 1;
        }
        WorkerConnections connections = new WorkerConnections(env);
        CountDownLatch stopped = new CountDownLatch(1);
        Connection control = null;
        Connection listenConnection = null;
        try {
            control = connections.open(APPLICATION_NAME);
            listenConnection = connections.open(APPLICATION_NAME);
            WorkQueue queue = new WorkQueue(control);
            queue.workerConnected();
            WorkerLog.info("connected as \"" + env.user() + "\" " + millisSinceFork(env)
                    + " ms after fork; job kinds: " + String.join(", ", handlers.kinds()));
            int orphans = queue.failOrphanedJobs(ORPHAN_REASON);
            if (orphans > 0) {
                WorkerLog.info(orphans + " job(s) left running by a previous worker were failed or requeued");
            }
            SqlProgressStore store = new SqlProgressStore(() -> connections.open(APPLICATION_NAME));
            try (ProgressReporter reporter = new ProgressReporter(store, System::nanoTime)) {
                Dispatcher dispatcher = new Dispatcher(queue, handlers, connections, reporter, System::nanoTime, pid);
                WorkListener listener = new WorkListener(listenConnection, dispatcher::post);
                startDaemon(listener, "steep_repl-listener");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    dispatcher.requestShutdown();
                    awaitQuietly(stopped, SHUTDOWN_GRACE);
                }, "steep_repl-shutdown"));
                try {
                    return dispatcher.run();
                } finally {
                    listener.stop();
                }
            }
        } catch (SQLException e) {
            WorkerLog.error("database connection failed: " + ErrorMessages.describe(e)
                    + "; exiting so the supervisor restarts the worker");
            return 1;
        } finally {
            closeQuietly(listenConnection);
            closeQuietly(control);
            stopped.countDown();
        }
    }

    // After the server went away closing fails too, and there is nothing left to report.
    static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            // the session is gone either way
        }
    }

    private static long millisSinceFork(WorkerEnvironment env) {
        Instant fork = Instant.EPOCH.plus(env.forkEpochMicros(), ChronoUnit.MICROS);
        return Duration.between(fork, Instant.now()).toMillis();
    }

    private static void startDaemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void awaitQuietly(CountDownLatch latch, Duration timeout) {
        try {
            latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
