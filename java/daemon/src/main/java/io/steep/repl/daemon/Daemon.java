package io.steep.repl.daemon;

import io.grpc.Server;
import io.grpc.Status;
import io.steep.repl.daemon.config.DaemonConfig;
import io.steep.repl.daemon.grpc.GrpcListener;
import io.steep.repl.daemon.grpc.OpenCalls;
import io.steep.repl.daemon.http.HealthEndpoints;
import io.steep.repl.daemon.http.HealthEndpoints.Answer;
import io.steep.repl.daemon.status.StatusSocket;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running steep-repl daemon: the gRPC server with the services a {@link ServiceFactory} gives
 * it over the configured database, the HTTP health endpoints and the local status socket. One
 * line on the log (stderr) when it starts and one when it stops; {@link #stop()} is bounded by
 * the config's shutdown grace.
 */
public final class Daemon implements AutoCloseable {
    /** The description of every call still open when the shutdown grace runs out. */
    public static final String SHUTTING_DOWN = "daemon shutting down";
    /** How long shutdownNow may take to tear down connections after the calls were ended. */
    private static final Duration TEARDOWN = Duration.ofSeconds(2);

    private final DaemonConfig config;
    private final String version;
    private final PrintStream log;
    private final Database database;
    private final Readiness readiness;
    private final OpenCalls openCalls = new OpenCalls();
    private final Instant startedAt = Instant.now();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private Server grpc;
    private HealthEndpoints http;
    private StatusSocket statusSocket;

    private Daemon(DaemonConfig config, String version, PrintStream log) {
        this.config = config;
        this.version = version;
        this.log = log;
        this.database = new PostgresDatabase(config.postgres());
        this.readiness = new Readiness(database);
    }

    /** Starts every listener, or none: a failure stops what had started and is thrown. */
    public static Daemon start(DaemonConfig config, ServiceFactory services, String version, PrintStream log) {
        Daemon daemon = new Daemon(config, version, log);
        try {
            daemon.statusSocket = StatusSocket.open(config.socket(), daemon::statusDocument);
            daemon.grpc = GrpcListener.start(config, services.services(daemon.database, daemon.stopping::get),
                    daemon.openCalls);
            if (config.http() != null) {
                daemon.http = HealthEndpoints.start(config.http(), () -> new Answer(200, Map.of("status", "live")),
                        daemon::readyAnswer, daemon::healthAnswer);
            }
        } catch (IOException e) {
            daemon.release();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            daemon.release();
            throw e;
        }
        daemon.log(daemon.startLine());
        daemon.warnIfAnyLocalUserIsASuperuser();
        return daemon;
    }

    /**
     * Runs a daemon until the process is told to stop (SIGTERM, SIGINT): the shutdown hook stops
     * it within the grace and ends the process with status 0, which a stopped service is.
     */
    public static void runUntilStopped(DaemonConfig config, ServiceFactory services, String version, PrintStream log)
            throws InterruptedException {
        Daemon daemon = start(config, services, version, log);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            daemon.stop();
            log.flush();
            // The JVM would exit with 143 after a SIGTERM; a daemon that stopped cleanly exits 0.
            Runtime.getRuntime().halt(0);
        }, "steep-repl-daemon-shutdown"));
        daemon.awaitStopped();
    }

    /** The port gRPC listens on. */
    public int grpcPort() {
        return grpc.getPort();
    }

    /** Where the HTTP endpoints answer, or null when disabled. */
    public InetSocketAddress httpAddress() {
        return http == null ? null : http.address();
    }

    public Database database() {
        return database;
    }

    /** Calls and streams in progress. */
    public int openCalls() {
        return openCalls.count();
    }

    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    /**
     * Stops: no new calls, open calls get the shutdown grace to finish, then those left end with
     * UNAVAILABLE "daemon shutting down" and the connections close. Returns once all is stopped;
     * a second call waits for the first.
     */
    public void stop() {
        if (!stopping.compareAndSet(false, true)) {
            awaitQuietly();
            return;
        }
        long start = System.nanoTime();
        int open = openCalls.count();
        log("stopping: no new calls; " + open + " open call(s) have " + format(config.shutdownGrace()) + " to finish");
        int ended = 0;
        try {
            grpc.shutdown();
            if (!grpc.awaitTermination(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                ended = openCalls.endAll(Status.UNAVAILABLE.withDescription(SHUTTING_DOWN));
                grpc.shutdownNow();
                grpc.awaitTermination(TEARDOWN.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            grpc.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            release();
            log("stopped in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms"
                    + (ended == 0 ? "" : "; " + ended + " call(s) still open at the deadline ended with UNAVAILABLE"));
            stopped.countDown();
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Stops whatever had started (after a failed start, or at the end of a stop). */
    private void release() {
        if (grpc != null) {
            grpc.shutdownNow();
        }
        if (http != null) {
            http.close();
        }
        if (statusSocket != null) {
            try {
                statusSocket.close();
            } catch (IOException e) {
                log("cannot remove the status socket " + config.socket() + ": " + e.getMessage());
            }
        }
        readiness.close();
    }

    private Answer readyAnswer() {
        if (stopping.get()) {
            return new Answer(503, Map.of("status", "unavailable", "reason", SHUTTING_DOWN));
        }
        Readiness.Result result = readiness.check();
        return new Answer(result.ready() ? 200 : 503, result.fields());
    }

    private Answer healthAnswer() {
        Answer ready = readyAnswer();
        Map<String, Object> body = new LinkedHashMap<>(ready.body());
        body.put("version", version);
        body.put("uptime_seconds", Duration.between(startedAt, Instant.now()).toSeconds());
        return new Answer(ready.status(), body);
    }

    /** The status socket's document; it names the PostgreSQL target, redacted. */
    String statusDocument() {
        Map<String, Object> postgres = new LinkedHashMap<>();
        postgres.put("target", database.target().toString());
        postgres.putAll(readiness.check().fields());
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("state", stopping.get() ? "stopping" : "serving");
        status.put("version", version);
        status.put("pid", ProcessHandle.current().pid());
        status.put("started_at", startedAt.toString());
        status.put("uptime_seconds", Duration.between(startedAt, Instant.now()).toSeconds());
        status.put("listen", config.listen().toString());
        status.put("tls", config.tls() != null);
        status.put("mtls", config.tls() != null && config.tls().mutual());
        status.put("token", config.token() != null);
        status.put("http", config.http() == null ? null : config.http().toString());
        status.put("socket", config.socket().toString());
        status.put("shutdown_grace_ms", config.shutdownGrace().toMillis());
        status.put("open_calls", openCalls.count());
        status.put("postgres", postgres);
        return HealthEndpoints.json(status);
    }

    /**
     * A daemon whose clients need neither a token nor a client certificate lets everyone who
     * reaches its port act as its role, every local user at least; for a superuser role that
     * is worth a line in the log (docs/daemon.md, "Security model").
     */
    private void warnIfAnyLocalUserIsASuperuser() {
        if (config.token() != null || config.tls() != null && config.tls().mutual()) {
            return;
        }
        try (Connection c = database.open(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user")) {
            if (rs.next() && rs.getBoolean(1)) {
                log("warning: the daemon's PostgreSQL role is a superuser and its clients need neither a token nor "
                        + "a client certificate: whoever reaches " + config.listen() + " acts as that superuser; "
                        + "set token_file or tls.client_ca, or connect as a role with only what clients need");
            }
        } catch (SQLException | RuntimeException e) {
            // PostgreSQL not there yet: readiness says so; the role is looked at only here.
        }
    }

    private String startLine() {
        String security = config.tls() == null ? "plaintext" + (config.insecure() ? " (--insecure)" : "")
                : config.tls().mutual() ? "TLS with client certificates (mTLS)" : "TLS";
        long sinceProcessStart = ProcessAge.millis();
        return "version " + version + ", pid " + ProcessHandle.current().pid() + ", listening on "
                + config.listen().host() + ":" + grpcPort() + ", " + security
                + (config.token() == null ? "" : ", bearer token required")
                + "; HTTP " + (http == null ? "disabled" : "on " + config.http().host() + ":" + http.address().getPort())
                + "; status socket " + config.socket() + "; PostgreSQL " + database.target()
                + "; daemon started in " + sinceProcessStart + " ms";
    }

    private static String format(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    private void awaitQuietly() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void log(String line) {
        log.println("steep-repl daemon: " + line);
        log.flush();
    }
}
