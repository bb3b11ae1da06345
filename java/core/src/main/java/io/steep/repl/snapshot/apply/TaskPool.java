package io.steep.repl.snapshot.apply;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.postgresql.PGConnection;

/**
 * Runs tasks on {@code parallel} threads, each with a connection of its own. A task starts once
 * every task it depends on has finished; among ready tasks the heaviest goes first, so one
 * large table does not end up last. The first failure stops the pool: tasks not yet started
 * are dropped and statements running on the other connections are cancelled. A cancel of the
 * job does the same within a fraction of a second.
 */
final class TaskPool {
    private static final long WATCH_MILLIS = 200;

    /** The work of one task, on the connection of the thread that runs it. */
    @FunctionalInterface
    interface Work {
        void run(Connection connection) throws Exception;
    }

    /**
     * @param id        unique among the tasks of one run
     * @param dependsOn ids of tasks that must finish first (unknown ids are ignored)
     * @param weight    bigger runs earlier among ready tasks
     */
    record Task(String id, Set<String> dependsOn, long weight, Work work) {
        Task {
            Objects.requireNonNull(id, "id");
            dependsOn = Set.copyOf(dependsOn);
        }
    }

    private final ConnectionSource connections;
    private final int parallel;
    private final BooleanSupplier cancelled;
    private final String purpose;

    private final Object lock = new Object();
    private final List<Task> waiting = new ArrayList<>();
    private final Set<String> unfinished = new HashSet<>();
    private final List<Connection> open = new ArrayList<>();
    private Throwable failure;
    private boolean stopped;

    TaskPool(ConnectionSource connections, int parallel, BooleanSupplier cancelled, String purpose) {
        this.connections = connections;
        this.parallel = Math.max(1, parallel);
        this.cancelled = cancelled;
        this.purpose = purpose;
    }

    /**
     * Runs every task and returns when all finished.
     *
     * @throws CancelledException when the job was cancelled meanwhile
     * @throws Exception          the first task's failure
     */
    void run(Collection<Task> tasks) throws Exception {
        if (tasks.isEmpty()) {
            return;
        }
        Map<String, Task> byId = new HashMap<>();
        for (Task task : tasks) {
            if (byId.put(task.id(), task) != null) {
                throw new IllegalArgumentException("duplicate task " + task.id());
            }
        }
        synchronized (lock) {
            waiting.addAll(tasks);
            waiting.sort(Comparator.comparingLong(Task::weight).reversed());
            unfinished.addAll(byId.keySet());
        }
        int threads = Math.min(parallel, tasks.size());
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(this::work, "steep_repl-" + purpose + "-" + i);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
        watch(workers);
        for (Thread t : workers) {
            t.join();
        }
        synchronized (lock) {
            if (failure == null && cancelled.getAsBoolean()) {
                throw new CancelledException();
            }
            if (failure instanceof Exception e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
        }
    }

    /** Thrown by {@link #run} when the job's cancel flag stopped the pool. */
    static final class CancelledException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CancelledException() {
            super("cancelled");
        }
    }

    private void watch(List<Thread> workers) throws InterruptedException {
        while (workers.stream().anyMatch(Thread::isAlive)) {
            if (cancelled.getAsBoolean()) {
                stop(null);
            }
            for (Thread t : workers) {
                t.join(WATCH_MILLIS);
                if (t.isAlive()) {
                    break;
                }
            }
        }
    }

    private void work() {
        Connection connection = null;
        try {
            while (true) {
                Task task = next();
                if (task == null) {
                    return;
                }
                if (connection == null) {
                    connection = connections.open(purpose);
                    synchronized (lock) {
                        open.add(connection);
                    }
                }
                task.work().run(connection);
                synchronized (lock) {
                    unfinished.remove(task.id());
                    lock.notifyAll();
                }
            }
        } catch (Throwable t) {
            stop(t);
        } finally {
            if (connection != null) {
                synchronized (lock) {
                    open.remove(connection);
                }
                closeQuietly(connection);
            }
        }
    }

    /** The heaviest task whose dependencies are done; null when there is nothing left or the pool stopped. */
    private Task next() throws InterruptedException {
        synchronized (lock) {
            while (true) {
                if (stopped || waiting.isEmpty()) {
                    return null;
                }
                for (int i = 0; i < waiting.size(); i++) {
                    Task candidate = waiting.get(i);
                    if (candidate.dependsOn().stream().noneMatch(unfinished::contains)) {
                        return waiting.remove(i);
                    }
                }
                lock.wait(WATCH_MILLIS);
            }
        }
    }

    /** Stops the pool once; the first failure is the one reported. */
    private void stop(Throwable cause) {
        List<Connection> running;
        synchronized (lock) {
            if (cause != null && failure == null && !stopped) {
                failure = cause;
            }
            if (stopped) {
                return;
            }
            stopped = true;
            running = List.copyOf(open);
            lock.notifyAll();
        }
        for (Connection c : running) {
            try {
                c.unwrap(PGConnection.class).cancelQuery();
            } catch (SQLException e) {
                // the connection is closing or gone: nothing left to cancel on it
            }
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // closing a broken connection fails; it is gone either way
        }
    }
}
