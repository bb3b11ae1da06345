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
 * The Java worker process (docs/worker.md): one for the cluster. It serves every database that
 * has the extension and that steep_repl.databases covers ({@link ServedDatabases}), until
 * SIGTERM, until the server goes away, or until no database is left to serve. Its exit status
 * tells the supervisor what happened: 0 and 1 make it start a new worker, {@link #EXIT_IDLE}
 * makes it wait for CREATE EXTENSION.
 */
public final class Worker {
    static final String APPLICATION_NAME = "steep_repl worker";
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(3);
    /** No database to serve (supervisor.c knows this number too). */
    public static final int EXIT_IDLE = 3;

    private Worker() {
    }

    /** Runs the worker; returns 0 after a requested shutdown, 1 after a failure, or EXIT_IDLE. */
    public static int run(WorkerEnvironment env) {
        long pid = ProcessHandle.current().pid();
        WorkerLog.info("starting: java " + Runtime.version() + ", supervisor pid " + env.supervisorPid()
                + " via " + env.socketPath());
        JobHandlers handlers;
        try {
            handlers = JobHandlers.load(Thread.currentThread().getContextClassLoader());
        } catch (ServiceConfigurationError | IllegalStateException e) {
            WorkerLog.error("cannot load the job handlers: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        ServedDatabases databases = new ServedDatabases(env, handlers, pid);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            databases.requestShutdown();
            awaitQuietly(stopped, SHUTDOWN_GRACE.plusSeconds(1));
        }, "steep_repl-shutdown"));
        WorkerLog.info("job kinds: " + String.join(", ", handlers.kinds()) + "; "
                + millisSinceFork(env) + " ms after fork");
        try {
            return databases.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
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

    private static void awaitQuietly(CountDownLatch latch, Duration timeout) {
        try {
            latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
