package io.steep.repl.api;

import java.sql.SQLException;

/**
 * Where a command's operations run: on the node's server over a PostgreSQL session (direct
 * mode), or through a steep-repl daemon (remote mode). Either way the same operation body runs
 * against the same SQL functions, and the same result comes back.
 */
public interface Backend {
    <Q, R> R call(Operation<Q, R> operation, Q request) throws SQLException;

    /** How this backend reaches the node, for --verbose (redacted). */
    String describe();
}
