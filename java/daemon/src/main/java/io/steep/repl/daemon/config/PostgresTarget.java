package io.steep.repl.daemon.config;

import static io.steep.repl.daemon.config.ConfigKey.POSTGRES_CONNECTION;
import static io.steep.repl.daemon.config.ConfigKey.POSTGRES_PASSWORD;

import io.steep.repl.SteepReplException;
import io.steep.repl.jdbc.ConnectionResolver;
import io.steep.repl.jdbc.ConnectionSpec;
import io.steep.repl.jdbc.Environment;
import io.steep.repl.jdbc.Redaction;
import java.util.function.Consumer;

/**
 * The daemon's PostgreSQL, resolved exactly as the CLI resolves {@code -c}: a connection string,
 * URI or connection name, PG* variables, service files, the password file. {@code
 * postgres.password}, when set, is the password (it wins over PGPASSWORD and the password file).
 */
final class PostgresTarget {
    static final String PASSWORD_SOURCE = POSTGRES_PASSWORD.path() + " of the daemon's config";

    private PostgresTarget() {
    }

    static ConnectionSpec resolve(ConfigValues values, Environment environment, Consumer<String> warnings) {
        ConnectionSpec spec;
        try {
            spec = new ConnectionResolver(environment, warnings).resolve(values.text(POSTGRES_CONNECTION).orElse(null));
        } catch (SteepReplException e) {
            throw values.error(POSTGRES_CONNECTION, Redaction.scrub(e.getMessage()), e.hint());
        }
        if (!values.has(POSTGRES_PASSWORD)) {
            return spec;
        }
        if (spec.password() != null && spec.passwordSource() != null && spec.passwordSource().startsWith("connection")) {
            throw values.error(POSTGRES_PASSWORD, "postgres.connection has a password too",
                    "Keep the password in one place: postgres.password, PGPASSWORD or the password file.");
        }
        return new ConnectionSpec(spec.endpoints(), spec.dbname(), spec.user(), values.text(POSTGRES_PASSWORD).orElseThrow(),
                PASSWORD_SOURCE, spec.sslmode(), spec.sslrootcert(), spec.sslcert(), spec.sslkey(), spec.sslpassword(),
                spec.applicationName(), spec.connectTimeout(), spec.options(), spec.name());
    }
}
