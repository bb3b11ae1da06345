package io.steep.repl.worker;

import io.steep.repl.job.JobHandlers;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Everything the worker keeps for one served database: a control connection (the dispatcher's),
 * a LISTEN connection, a progress connection (opened at the first report), the dispatcher's
 * thread and the listener's. Created by {@link ServedDatabases}; ends on its own when the
 * database loses the extension or the connection, or when asked to.
 */
final class DatabaseService {
    private final long databaseId;
    private final String name;
    private final WorkerConnections connections;
    private final CompletableFuture<Dispatcher.End> end = new CompletableFuture<>();
    private Connection control;
    private Connection listenConnection;
    private Dispatcher dispatcher;

    DatabaseService(WorkerConnections connections, long databaseId) {
        this.connections = connections;
        this.databaseId = databaseId;
        this.name = connections.database();
    }

    long databaseId() {
        return databaseId;
    }

    String name() {
        return name;
    }

    /**
     * Takes over control, a connection to the database that has the extension, fails the jobs
     * a dead worker left running there, and starts serving; closes control when that fails.
     * onEnd runs once the service has ended and closed its connections.
     */
    void start(Connection control, JobHandlers handlers, JobPermits permits, String orphanReason, long workerPid,
            Runnable onEnd) throws SQLException {
        this.control = control;
        try {
            listenConnection = connections.open(Worker.APPLICATION_NAME);
            WorkQueue queue = new WorkQueue(control);
            int orphans = queue.failOrphanedJobs(orphanReason);
            if (orphans > 0) {
                WorkerLog.info(orphans + " job(s) left running by a previous worker in database \"" + name
                        + "\" were failed or requeued");
            }
            SqlProgressStore store = new SqlProgressStore(() -> connections.open(Worker.APPLICATION_NAME));
            ProgressReporter reporter = new ProgressReporter(store, System::nanoTime);
            dispatcher = new Dispatcher(queue, permits, handlers, connections, reporter, System::nanoTime, workerPid);
            dispatcher.orphanReason(orphanReason);
            WorkListener listener = new WorkListener(listenConnection, dispatcher::post);
            Thread listenerThread = new Thread(listener, "steep_repl-listener-" + name);
            listenerThread.setDaemon(true);
            listenerThread.start();
            Thread thread = new Thread(() -> {
                Dispatcher.End how = Dispatcher.End.LOST;
                try {
                    how = dispatcher.run();
                } finally {
                    listener.stop();
                    reporter.close();
                    closeConnections();
                    end.complete(how);
                    onEnd.run();
                }
            }, "steep_repl-dispatcher-" + name);
            thread.setDaemon(true);
            thread.start();
        } catch (SQLException | RuntimeException e) {
            closeConnections();
            throw e;
        }
    }

    void requestShutdown() {
        dispatcher.requestShutdown();
    }

    void requestLeave() {
        dispatcher.requestLeave();
    }

    /** How the service ended, or null while it runs. */
    Dispatcher.End endedAs() {
        return end.getNow(null);
    }

    /** Waits until it ended; null when it still runs after timeoutMillis. */
    Dispatcher.End awaitEnd(long timeoutMillis) throws InterruptedException {
        try {
            return end.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            return Dispatcher.End.LOST;
        }
    }

    private synchronized void closeConnections() {
        Worker.closeQuietly(listenConnection);
        Worker.closeQuietly(control);
        listenConnection = null;
        control = null;
    }
}
