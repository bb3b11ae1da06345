package io.steep.repl.api;

import io.steep.repl.run.RunProgress;
import io.steep.repl.run.RunRecord;
import java.sql.SQLException;

/**
 * Where a command's operations run: on the node's server over a PostgreSQL session (direct
 * mode), or through a steep-repl daemon (remote mode). Either way the same operation body runs
 * against the same SQL functions, and the same result comes back.
 */
public interface Backend {
    <Q, R> R call(Operation<Q, R> operation, Q request) throws SQLException;

    /**
     * Starts a run and, unless the request detaches, follows it to its end.
     *
     * @return the run as it ended, or as started when detached
     */
    <Q, R extends RunRecord, P extends RunProgress> R start(RunOperation<Q, R, P> operation, Q request,
            RunListener<R, P> listener) throws SQLException;

    /** How this backend reaches the node, for --verbose (redacted). */
    String describe();
}
