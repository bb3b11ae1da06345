package io.steep.repl.worker;

import io.steep.repl.job.JobHandlers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Which databases the worker serves, and one {@link DatabaseService} for each (docs/worker.md,
 * "Served databases"). At start it connects to every database that allows connections and is
 * no template, once, and serves those that have the extension and that steep_repl.databases
 * covers. Then, every second, it reads the shared list {@code steep_repl.served_databases()}
 * on a connection of its own to one served database: a database announced by CREATE EXTENSION
 * is served, one being dropped or no longer covered is let go, one in error is tried again
 * every {@link #RETRY_INTERVAL}. It publishes each database's state in that list.
 */
final class ServedDatabases {
    static final Duration POLL = Duration.ofSeconds(1);
    static final Duration RETRY_INTERVAL = Duration.ofSeconds(10);
    private static final String FALLBACK_DATABASE = "template1";

    /** Every database a job could run in: no template (CREATE DATABASE needs those unused). */
    private static final String LIST_DATABASES =
            "SELECT d.oid::pg_catalog.int8, d.datname::pg_catalog.text FROM pg_catalog.pg_database d "
            + "WHERE d.datallowconn AND NOT d.datistemplate ORDER BY d.datname";
    private static final String HAS_EXTENSION =
            "SELECT pg_catalog.count(*) > 0 FROM pg_catalog.pg_extension WHERE extname = 'steep_repl'";
    private static final String IN_SCOPE = "SELECT steep_repl.serves_database(?)";
    private static final String READ_LIST =
            "SELECT s.database_id::pg_catalog.int8, s.database, s.state, s.dropping, "
            + "coalesce(steep_repl.serves_database(s.database) AND NOT d.datistemplate, false) "
            + "FROM steep_repl.served_databases() s LEFT JOIN pg_catalog.pg_database d ON d.oid = s.database_id";
    private static final String PUBLISH = "SELECT steep_repl._serve_database(?::pg_catalog.oid, ?, ?)";
    /** The scope in effect; a change after a reload makes the worker look at every database again. */
    private static final String SCOPE = "SELECT database FROM steep_repl.worker_status()";

    private final WorkerEnvironment env;
    private final JobHandlers handlers;
    private final JobPermits permits = new JobPermits();
    private final long workerPid;
    private final Map<Long, DatabaseService> services = new LinkedHashMap<>();
    /** Databases that could not be connected to: when to try again. */
    private final Map<Long, Long> retryAt = new HashMap<>();
    /** Databases this worker let go of: their running jobs were ended by it. */
    private final Set<Long> left = new HashSet<>();
    private Connection listConnection;
    private long listDatabase;
    private String scope;
    private volatile boolean stopping;
    /** Released on SIGTERM and when a database's service ends, so the loop acts at once. */
    private final Semaphore wakeups = new Semaphore(0);

    ServedDatabases(WorkerEnvironment env, JobHandlers handlers, long workerPid) {
        this.env = env;
        this.handlers = handlers;
        this.workerPid = workerPid;
    }

    /** SIGTERM: every database stops claiming, and running jobs are asked to stop. */
    void requestShutdown() {
        stopping = true;
        wakeups.release();
        synchronized (services) {
            services.values().forEach(DatabaseService::requestShutdown);
        }
    }

    /**
     * Serves until shut down (0), until a connection is lost (1), or until no database is left
     * to serve ({@link Worker#EXIT_IDLE}).
     */
    int run() throws InterruptedException {
        Map<Long, String> errors = discover();
        Connection c = listConnection();
        if (c != null) {
            try {
                new WorkQueue(c).workerConnected();
            } catch (SQLException e) {
                closeListConnection();
            }
        }
        for (Map.Entry<Long, String> error : errors.entrySet()) {
            publishError(error.getKey(), error.getValue());
        }
        while (!stopping) {
            Integer exit = reapEnded();
            if (exit != null) {
                return exit;
            }
            if (!readList()) {
                if (services.isEmpty()) {
                    WorkerLog.info("no database to serve");
                    return Worker.EXIT_IDLE;
                }
            }
            if (wakeups.tryAcquire(POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                wakeups.drainPermits();
            }
        }
        return awaitShutdown();
    }

    /** Connects to every candidate database once; returns the ones that failed, with why. */
    private Map<Long, String> discover() {
        Map<Long, String> candidates = new LinkedHashMap<>();
        for (String maintenance : List.of(env.database(), FALLBACK_DATABASE)) {
            try (Connection c = new WorkerConnections(env, maintenance).open(Worker.APPLICATION_NAME);
                    PreparedStatement ps = c.prepareStatement(LIST_DATABASES);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    candidates.put(rs.getLong(1), rs.getString(2));
                }
                break;
            } catch (SQLException e) {
                WorkerLog.warning("cannot list the databases from \"" + maintenance + "\": " + ErrorMessages.describe(e));
            }
        }
        Map<Long, String> errors = new LinkedHashMap<>();
        synchronized (services) {
            candidates.keySet().removeAll(services.keySet());
        }
        candidates.forEach((oid, name) -> {
            // An entry of a database without the extension is left to the list's reader: the
            // extension may have been created since this look.
            String error = tryServe(oid, name, orphanReason(oid), false);
            if (error != null) {
                errors.put(oid, error);
            }
        });
        return errors;
    }

    /**
     * Connects to the database and serves it when it has the extension and is covered; returns
     * why it could not be connected to, or null.
     */
    private String tryServe(long oid, String name, String orphanReason, boolean forgetIfAbsent) {
        WorkerConnections connections = new WorkerConnections(env, name);
        Connection control = null;
        try {
            control = connections.open(Worker.APPLICATION_NAME);
            if (!queryBoolean(control, HAS_EXTENSION, null) || !queryBoolean(control, IN_SCOPE, name)) {
                Worker.closeQuietly(control);
                if (forgetIfAbsent) {
                    publish(oid, "gone", null);
                }
                return null;
            }
            publish(control, oid, "connecting", null);
            DatabaseService service = new DatabaseService(connections, oid);
            service.start(control, handlers, permits, orphanReason, workerPid, wakeups::release);
            synchronized (services) {
                services.put(oid, service);
            }
            retryAt.remove(oid);
            publish(oid, "serving", null);
            WorkerLog.info("serving database \"" + name + "\"");
            return null;
        } catch (SQLException e) {
            Worker.closeQuietly(control);
            retryAt.put(oid, System.nanoTime() + RETRY_INTERVAL.toNanos());
            String error = ErrorMessages.describe(e);
            WorkerLog.warning("cannot serve database \"" + name + "\": " + error);
            return error;
        }
    }

    /** Services that ended: forgotten, or the worker's end when the server connection was lost. */
    private Integer reapEnded() {
        List<DatabaseService> ended = new ArrayList<>();
        synchronized (services) {
            for (DatabaseService service : services.values()) {
                if (service.endedAs() != null) {
                    ended.add(service);
                }
            }
            ended.forEach(s -> services.remove(s.databaseId()));
        }
        for (DatabaseService service : ended) {
            Dispatcher.End how = service.endedAs();
            if (how == Dispatcher.End.LOST || how == Dispatcher.End.SHUTDOWN) {
                requestShutdown();
                return 1;
            }
            if (how == Dispatcher.End.LEFT) {
                left.add(service.databaseId());
            }
            if (service.databaseId() == listDatabase) {
                closeListConnection();
            }
            publish(service.databaseId(), "gone", null);
            WorkerLog.info("stopped serving database \"" + service.name() + "\"");
        }
        return null;
    }

    /**
     * Reads the shared list and acts on it; false when no served database could be read from.
     */
    private boolean readList() {
        Connection c = listConnection();
        if (c == null) {
            return false;
        }
        List<Object[]> rows = new ArrayList<>();
        String newScope;
        try (PreparedStatement ps = c.prepareStatement(READ_LIST); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getBoolean(5)});
            }
            newScope = queryString(c, SCOPE);
        } catch (SQLException e) {
            closeListConnection();
            return !services.isEmpty();
        }
        for (Object[] row : rows) {
            act((Long) row[0], (String) row[1], (Boolean) row[3], (Boolean) row[4]);
        }
        if (scope != null && !scope.equals(newScope)) {
            WorkerLog.info("steep_repl.databases is now '" + newScope + "': looking for databases to serve");
            discover().forEach(this::publishError);
        }
        scope = newScope;
        return true;
    }

    private void act(long oid, String name, boolean dropping, boolean inScope) {
        DatabaseService service;
        synchronized (services) {
            service = services.get(oid);
        }
        if (service != null) {
            if (dropping || !inScope || name == null) {
                WorkerLog.info("letting go of database \"" + service.name() + "\""
                        + (dropping ? ": it is being dropped" : ": steep_repl.databases no longer covers it"));
                if (oid == listDatabase) {
                    closeListConnection();
                }
                service.requestLeave();
            }
            return;
        }
        if (dropping || name == null) {
            return;
        }
        if (!inScope) {
            publish(oid, "gone", null);
            return;
        }
        Long due = retryAt.get(oid);
        if (due != null && System.nanoTime() < due) {
            return;
        }
        String error = tryServe(oid, name, orphanReason(oid), true);
        if (error != null) {
            publishError(oid, error);
        }
    }

    /** What jobs left running in the database are failed with when its serving starts. */
    private String orphanReason(long oid) {
        return left.contains(oid)
                ? "the worker stopped serving the database while the job was running" : env.orphanReason();
    }

    private Connection listConnection() {
        if (listConnection != null) {
            return listConnection;
        }
        List<DatabaseService> candidates;
        synchronized (services) {
            candidates = new ArrayList<>(services.values());
        }
        for (DatabaseService service : candidates) {
            if (service.endedAs() != null) {
                continue;
            }
            try {
                listConnection = new WorkerConnections(env, service.name()).open(Worker.APPLICATION_NAME);
                listDatabase = service.databaseId();
                return listConnection;
            } catch (SQLException e) {
                WorkerLog.warning("cannot connect to database \"" + service.name() + "\": " + ErrorMessages.describe(e));
            }
        }
        return null;
    }

    private void closeListConnection() {
        Worker.closeQuietly(listConnection);
        listConnection = null;
        listDatabase = 0;
    }

    /** An error is shown only for databases steep_repl.databases covers. */
    private void publishError(long oid, String error) {
        Connection c = listConnection();
        if (c == null) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT steep_repl.serves_database(d.datname::pg_catalog.text) FROM pg_catalog.pg_database d WHERE d.oid = ?")) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getBoolean(1)) {
                    publish(c, oid, "error", error);
                }
            }
        } catch (SQLException e) {
            closeListConnection();
        }
    }

    private void publish(long oid, String state, String detail) {
        Connection c = listConnection();
        if (c == null) {
            return;
        }
        try {
            publish(c, oid, state, detail);
        } catch (SQLException e) {
            closeListConnection();
        }
    }

    private static void publish(Connection c, long oid, String state, String detail) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(PUBLISH)) {
            ps.setLong(1, oid);
            ps.setString(2, state);
            ps.setString(3, detail);
            ps.execute();
        }
    }

    private static String queryString(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static boolean queryBoolean(Connection c, String sql, String parameter) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (parameter != null) {
                ps.setString(1, parameter);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** After SIGTERM: waits up to the grace for every database's jobs, then closes. */
    private int awaitShutdown() throws InterruptedException {
        requestShutdown();
        long deadline = System.nanoTime() + Worker.SHUTDOWN_GRACE.toNanos();
        List<DatabaseService> all;
        synchronized (services) {
            all = new ArrayList<>(services.values());
        }
        for (DatabaseService service : all) {
            service.awaitEnd(Math.max(0, (deadline - System.nanoTime()) / 1_000_000));
        }
        closeListConnection();
        return 0;
    }
}
