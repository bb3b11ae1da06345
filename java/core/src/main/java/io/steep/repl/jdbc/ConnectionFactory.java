package io.steep.repl.jdbc;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.stream.Collectors;
import org.postgresql.Driver;

/**
 * Opens pgjdbc connections for a resolved {@link ConnectionSpec}: Unix sockets through
 * junixsocket, TCP with the libpq SSL settings. Failures become
 * {@link io.steep.repl.ErrorCode#CONNECTION} with a redacted target and a hint.
 */
public final class ConnectionFactory {
    private static final String PGPASSFILE_PROPERTY = "org.postgresql.pgpassfile";

    static {
        // pgjdbc reads ~/.pgpass by itself when no password is given, without libpq's 0600 rule.
        // ConnectionResolver has already applied libpq's rules, so pgjdbc's own lookup gets an empty file.
        if (System.getProperty(PGPASSFILE_PROPERTY) == null) {
            System.setProperty(PGPASSFILE_PROPERTY, "/dev/null");
        }
    }

    private static final Driver DRIVER = new Driver();

    private ConnectionFactory() {
    }

    /** A new autocommit connection. */
    public static Connection open(ConnectionSpec spec) {
        try {
            Connection connection = DRIVER.connect(url(spec), properties(spec));
            if (connection == null) {
                throw new IllegalStateException("pgjdbc refused its own URL " + url(spec));
            }
            return connection;
        } catch (SQLException e) {
            throw ConnectFailures.translate(spec, e);
        }
    }

    /** The JDBC URL; for a Unix socket the host part is a placeholder the socket factory ignores. */
    static String url(ConnectionSpec spec) {
        String hosts = spec.isUnixSocket() ? "localhost:" + spec.primary().port()
                : spec.endpoints().stream().map(ConnectionFactory::hostPort).collect(Collectors.joining(","));
        return "jdbc:postgresql://" + hosts + "/" + URLEncoder.encode(spec.dbname(), StandardCharsets.UTF_8);
    }

    private static String hostPort(Endpoint endpoint) {
        String address = endpoint.address();
        return (address.contains(":") ? "[" + address + "]" : address) + ":" + endpoint.port();
    }

    static Properties properties(ConnectionSpec spec) {
        Properties props = new Properties();
        props.setProperty("user", spec.user());
        setIfPresent(props, "password", spec.password());
        props.setProperty("ApplicationName", spec.applicationName());
        setIfPresent(props, "options", spec.options());
        if (spec.connectTimeout() != null) {
            props.setProperty("connectTimeout", spec.connectTimeout().toString());
            props.setProperty("loginTimeout", spec.connectTimeout().toString());
        }
        if (spec.isUnixSocket()) {
            props.setProperty("socketFactory", "org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg");
            props.setProperty("socketFactoryArg", spec.primary().socketFile().toString());
            // Like libpq: no SSL or GSS encryption over a local socket.
            props.setProperty("sslmode", "disable");
            props.setProperty("gssEncMode", "disable");
        } else {
            setIfPresent(props, "sslmode", spec.sslmode());
            setIfPresent(props, "sslrootcert", spec.sslrootcert());
            setIfPresent(props, "sslcert", spec.sslcert());
            setIfPresent(props, "sslkey", spec.sslkey());
            setIfPresent(props, "sslpassword", spec.sslpassword());
        }
        return props;
    }

    private static void setIfPresent(Properties props, String name, String value) {
        if (value != null) {
            props.setProperty(name, value);
        }
    }
}
