package io.steep.repl.daemon;

import io.steep.repl.SteepReplException;
import io.steep.repl.jdbc.ExtensionCheck;
import io.steep.repl.jdbc.Redaction;
import io.steep.repl.jdbc.SqlErrors;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether the daemon can serve: its PostgreSQL answers, through {@link Database}, within a short
 * time, and has the steep_repl extension. Each look opens a new session, as every operation does.
 */
public final class Readiness implements AutoCloseable {
    /** A health check must answer before the prober (systemd, a load balancer) gives up. */
    static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final Database database;
    private final ExecutorService probes = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "steep-repl-readiness");
        thread.setDaemon(true);
        return thread;
    });

    public Readiness(Database database) {
        this.database = database;
    }

    /**
     * One look.
     *
     * @param reachable PostgreSQL accepted a session and answered
     * @param extension the installed steep_repl version, or null
     * @param reason    why it is not ready (redacted), or null when it is
     */
    public record Result(boolean reachable, String extension, String reason) {
        public boolean ready() {
            return reason == null;
        }

        /** The JSON fields of /readyz, /health and the status document. */
        public Map<String, Object> fields() {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("status", ready() ? "ready" : "unavailable");
            fields.put("postgres", reachable ? "reachable" : "unreachable");
            fields.put("extension", extension);
            if (reason != null) {
                fields.put("reason", reason);
            }
            return fields;
        }
    }

    public Result check() {
        CompletableFuture<Result> look = CompletableFuture.supplyAsync(this::look, probes);
        try {
            return look.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            look.cancel(true);
            return new Result(false, null, "PostgreSQL did not answer within " + TIMEOUT.toSeconds() + " s");
        } catch (ExecutionException e) {
            return new Result(false, null, "unexpected " + Redaction.scrub(String.valueOf(e.getCause())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, null, "interrupted");
        }
    }

    private Result look() {
        Connection connection;
        try {
            connection = database.open();
        } catch (SteepReplException | SQLException e) {
            return new Result(false, null, message(e));
        }
        try (connection) {
            return new Result(true, ExtensionCheck.require(connection), null);
        } catch (SteepReplException | SQLException e) {
            return new Result(true, null, message(e));
        }
    }

    /**
     * The failure without the target: /readyz and /health answer anyone who reaches their port,
     * and the target (host, database, user) is for the status socket only.
     */
    private String message(Exception e) {
        SteepReplException known = e instanceof SQLException sql ? SqlErrors.translate(sql) : (SteepReplException) e;
        return Redaction.scrub(known.getMessage()).replace(database.target().toString(), "PostgreSQL");
    }

    @Override
    public void close() {
        probes.shutdownNow();
    }
}
