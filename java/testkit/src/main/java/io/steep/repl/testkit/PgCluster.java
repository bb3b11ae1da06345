package io.steep.repl.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;

/**
 * A throwaway PostgreSQL cluster for tests: its own data directory, a free port, a private
 * socket directory, and (by default) steep_repl in shared_preload_libraries.
 *
 * <p>PostgreSQL refuses to run as root, so when the tests run as root the server binaries run
 * as the {@code postgres} OS user. The bootstrap superuser is always {@code postgres}; the OS
 * user running the tests reaches it by peer authentication through an ident map, exactly as the
 * Java worker does in production. Other roles log in over the socket with trust. close() stops
 * the server (fast) and deletes everything.
 */
public final class PgCluster implements AutoCloseable {
    public static final String SUPERUSER = "postgres";
    /** Set by the build: the freshly built worker jar (and test classes) instead of the installed one. */
    public static final String WORKER_CLASSPATH_PROPERTY = "steep.worker.classpath";

    private final Path baseDir;
    private final Path dataDir;
    private final Path socketDir;
    private final Path logFile;
    private final int port;
    private final PgCommands commands;

    private PgCluster(Builder builder) throws IOException {
        this.commands = builder.binDir == null ? new PgCommands() : new PgCommands(builder.binDir);
        this.baseDir = commands.createOwnedTempDir("steep-" + builder.name + "-");
        this.dataDir = baseDir.resolve("data");
        this.socketDir = baseDir.resolve("sock");
        this.logFile = baseDir.resolve("server.log");
        this.port = freePort();
        commands.mkdirOwned(socketDir);
        commands.asServerUser(List.of(commands.bin("initdb"), "-D", dataDir.toString(), "-U", SUPERUSER,
                "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "-A", "trust"));
        writeConfiguration(builder);
    }

    public static Builder builder() {
        return new Builder();
    }

    private void writeConfiguration(Builder builder) throws IOException {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("port", Integer.toString(port));
        conf.put("unix_socket_directories", quote(socketDir.toString()));
        conf.put("listen_addresses", "'127.0.0.1'");
        conf.put("max_connections", "60");
        conf.put("fsync", "off");
        // Cheap, and lets tests create logical replication slots; a builder setting overrides it.
        conf.put("wal_level", "logical");
        conf.put("log_line_prefix", "'%m [%p] %b '");
        if (builder.preload && !builder.plain) {
            conf.put("shared_preload_libraries", "'steep_repl'");
        }
        String workerClasspath = builder.plain ? "" : WorkerClasspath.fromProperty(WORKER_CLASSPATH_PROPERTY);
        if (!workerClasspath.isBlank()) {
            conf.put("steep_repl.worker_classpath", quote(workerClasspath));
        }
        builder.settings.forEach((name, value) -> conf.put(name, quote(value)));
        StringBuilder text = new StringBuilder("\n# written by the steep-repl testkit\n");
        conf.forEach((name, value) -> text.append(name).append(" = ").append(value).append('\n'));
        Files.writeString(dataDir.resolve("postgresql.conf"), text, StandardOpenOption.APPEND);

        String me = System.getProperty("user.name");
        String ident = "testkit " + SUPERUSER + " " + SUPERUSER + "\n"
                + (me.equals(SUPERUSER) ? "" : "testkit " + me + " " + SUPERUSER + "\n");
        Files.writeString(dataDir.resolve("pg_ident.conf"), ident, StandardOpenOption.APPEND);
        Files.writeString(dataDir.resolve("pg_hba.conf"), String.join("\n",
                "local replication " + SUPERUSER + " peer map=testkit",
                "local all " + SUPERUSER + " peer map=testkit",
                "local all all trust",
                "host all all 127.0.0.1/32 scram-sha-256",
                ""));
    }

    private static String quote(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Starts the server and waits until it accepts connections. */
    public PgCluster start() {
        commands.asServerUser(List.of(commands.bin("pg_ctl"), "-D", dataDir.toString(), "-l", logFile.toString(),
                "-w", "-t", "60", "start"));
        return this;
    }

    /** Stops the server with the given pg_ctl mode: smart, fast or immediate. */
    public void stop(String mode) {
        commands.asServerUser(List.of(commands.bin("pg_ctl"), "-D", dataDir.toString(), "-w", "-t", "60",
                "-m", mode, "stop"));
    }

    public void restart() {
        stop("fast");
        start();
    }

    /** pg_ctl reload: the server re-reads its configuration (SIGHUP). */
    public void reload() {
        commands.asServerUser(List.of(commands.bin("pg_ctl"), "-D", dataDir.toString(), "reload"));
    }

    public boolean isRunning() {
        return Files.exists(dataDir.resolve("postmaster.pid"));
    }

    /** Changes one setting with ALTER SYSTEM and reloads. */
    public void set(String name, String value) {
        exec("ALTER SYSTEM SET " + name + " = " + quote(value));
        exec("SELECT pg_reload_conf()");
    }

    public int port() {
        return port;
    }

    public Path socketDir() {
        return socketDir;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return logFile;
    }

    /** The server log so far. */
    public String log() {
        try {
            return Files.readString(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A new directory beside the data directory that the server's OS user owns, e.g. for
     * snapshots the server writes; it is deleted with the cluster.
     */
    public Path serverDirectory(String name) {
        try {
            Path dir = baseDir.resolve(name);
            Files.createDirectories(dir);
            giveToServer(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + name + " for the server", e);
        }
    }

    /** Makes the server's OS user own a directory tree (only needed, and only done, when the tests run as root). */
    public static void giveToServer(Path dir) throws IOException {
        new PgCommands().chownTree(dir);
    }

    /** A libpq keyword/value connection string for this cluster over its Unix socket. */
    public String conninfo(String database, String user) {
        return "host=" + socketDir + " port=" + port + " dbname=" + database + " user=" + user;
    }

    /** A superuser connection to database postgres. */
    public Connection connect() {
        return connect("postgres", SUPERUSER);
    }

    /** A connection over the Unix socket (peer for postgres, trust for other roles). */
    public Connection connect(String database, String user) {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("socketFactory", "org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg");
        props.setProperty("socketFactoryArg", socketDir.resolve(".s.PGSQL." + port).toString());
        props.setProperty("sslmode", "disable");
        props.setProperty("ApplicationName", "steep-repl testkit");
        try {
            return DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/" + database, props);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to test cluster on port " + port + ": " + e.getMessage(), e);
        }
    }

    /** Runs statements as the superuser in database postgres, each in its own transaction. */
    public void exec(String... statements) {
        execIn("postgres", statements);
    }

    public void execIn(String database, String... statements) {
        try (Connection c = connect(database, SUPERUSER); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The first column of the first row, as text (null for SQL NULL or no row). */
    public String queryString(String sql) {
        List<List<String>> rows = query("postgres", sql);
        return rows.isEmpty() ? null : rows.get(0).get(0);
    }

    public long queryLong(String sql) {
        String value = queryString(sql);
        if (value == null) {
            throw new IllegalStateException("query returned no value: " + sql);
        }
        return Long.parseLong(value);
    }

    /** Every row of a query as text, run as the superuser. */
    public List<List<String>> query(String database, String sql) {
        try (Connection c = connect(database, SUPERUSER); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            List<List<String>> rows = new ArrayList<>();
            while (rs.next()) {
                List<String> row = new ArrayList<>(columns);
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    public void createDatabase(String name) {
        exec("CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
    }

    public void createExtension(String database) {
        execIn(database, "CREATE EXTENSION steep_repl");
    }

    /** Polls a condition every 20 ms until it holds or the timeout passes; then fails with the description. */
    public static void waitFor(Duration timeout, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }

    /** Stops the server if it runs (fast, then immediate) and deletes its directory. */
    /** Closes every cluster given; a null one (a start that failed) is skipped. */
    public static void closeAll(PgCluster... clusters) {
        for (PgCluster cluster : clusters) {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    @Override
    public void close() {
        try {
            if (isRunning()) {
                try {
                    stop("fast");
                } catch (IllegalStateException e) {
                    stop("immediate");
                }
            }
        } finally {
            commands.deleteRecursively(baseDir);
        }
    }

    /** Options for a new cluster. */
    public static final class Builder {
        private boolean preload = true;
        private boolean plain;
        private Path binDir;
        private String name = "test";
        private final Map<String, String> settings = new LinkedHashMap<>();

        private Builder() {
        }

        /** Whether steep_repl is in shared_preload_libraries (default true). */
        public Builder preload(boolean preload) {
            this.preload = preload;
            return this;
        }

        /**
         * A plain peer: a cluster of the PostgreSQL installed in {@code binDir} (initdb, pg_ctl
         * and postgres), another major version say, that knows nothing of steep_repl: no
         * preload and no steep_repl setting, so its postgresql.conf is valid without the
         * extension installed there.
         */
        public Builder plainPeer(Path binDir) {
            this.binDir = binDir;
            this.plain = true;
            return this;
        }

        /** A short name used in the directory name, e.g. the node id. */
        public Builder name(String name) {
            this.name = name.replaceAll("[^A-Za-z0-9_-]", "_");
            return this;
        }

        /** A postgresql.conf setting; the value is quoted for you. */
        public Builder setting(String name, String value) {
            settings.put(name, value);
            return this;
        }

        /** postgresql.conf settings as name, value, name, value, ... */
        public Builder settings(String... namesAndValues) {
            if (namesAndValues.length % 2 != 0) {
                throw new IllegalArgumentException("settings come in name, value pairs");
            }
            for (int i = 0; i < namesAndValues.length; i += 2) {
                setting(namesAndValues[i], namesAndValues[i + 1]);
            }
            return this;
        }

        /** Creates, configures and starts the cluster. */
        public PgCluster start() {
            try {
                return new PgCluster(this).start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create test cluster", e);
            }
        }
    }
}
