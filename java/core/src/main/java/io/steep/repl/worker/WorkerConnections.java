package io.steep.repl.worker;

import io.steep.repl.jdbc.PinnedSettings;
import io.steep.repl.job.ServerAccess;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * Opens connections to one database of the worker's own server over the Unix socket, as the
 * bootstrap superuser with peer authentication, so no password exists anywhere. Every session
 * starts with the {@link PinnedSettings}, which a database owner's defaults cannot override.
 */
final class WorkerConnections implements JobRunner.ConnectionOpener {
    private static final Driver DRIVER = new Driver();
    private final WorkerEnvironment env;
    private final String database;

    WorkerConnections(WorkerEnvironment env, String database) {
        this.env = env;
        this.database = database;
    }

    String database() {
        return database;
    }

    /** A new autocommit connection; application_name shows in pg_stat_activity. */
    @Override
    public Connection open(String applicationName) throws SQLException {
        return connect(applicationName, new Properties());
    }

    /**
     * A logical replication connection (walsender) to the same database. Replication commands
     * exist only in the simple query protocol; pgjdbc needs to be told the server can do them.
     */
    @Override
    public Connection openReplication(String applicationName) throws SQLException {
        Properties props = new Properties();
        props.setProperty("replication", "database");
        props.setProperty("preferQueryMode", "simple");
        props.setProperty("assumeMinServerVersion", "10");
        return connect(applicationName, props);
    }

    private Connection connect(String applicationName, Properties props) throws SQLException {
        props.setProperty("user", env.user());
        props.setProperty("socketFactory", "org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg");
        props.setProperty("socketFactoryArg", env.socketPath());
        props.setProperty("sslmode", "disable");
        props.setProperty("gssEncMode", "disable");
        props.setProperty("ApplicationName", applicationName);
        props.setProperty("connectTimeout", "10");
        props.setProperty("options", PinnedSettings.startupOptions());
        // The host is ignored by the socket factory; the database name is URL-encoded so any name works.
        String url = "jdbc:postgresql://localhost:" + env.port() + "/"
                + URLEncoder.encode(database, StandardCharsets.UTF_8);
        return DRIVER.connect(url, props);
    }

    @Override
    public ServerAccess serverAccess(String role, long jobId) {
        return new ServerAccess(env.socketDirectory(), env.port(), database, env.user(), role, jobId);
    }
}
