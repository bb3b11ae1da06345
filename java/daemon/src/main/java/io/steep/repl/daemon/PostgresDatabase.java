package io.steep.repl.daemon;

import io.steep.repl.jdbc.ConnectionFactory;
import io.steep.repl.jdbc.ConnectionSpec;
import java.sql.Connection;

/**
 * The daemon's database: a new session for every operation, opened by the same code as the
 * CLI's {@code -c}. A failure to connect is a {@link io.steep.repl.SteepReplException} with
 * {@link io.steep.repl.ErrorCode#CONNECTION}, its target redacted.
 */
public final class PostgresDatabase implements Database {
    private final ConnectionSpec target;

    public PostgresDatabase(ConnectionSpec target) {
        this.target = target;
    }

    @Override
    public ConnectionSpec target() {
        return target;
    }

    @Override
    public Connection open() {
        return ConnectionFactory.open(target);
    }
}
