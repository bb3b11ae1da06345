package io.steep.repl.api;

import io.steep.repl.jdbc.ConnectionResolver;
import io.steep.repl.jdbc.ConnectionSpec;
import java.sql.Connection;
import java.util.function.Consumer;

/**
 * Where an {@link Operation} runs: an autocommit session on the node's server, where it goes,
 * how other nodes named in the request are resolved (the CLI user's settings in direct mode,
 * the daemon's own in remote mode), and where the operation's notices and warnings go (the
 * CLI's stderr; a remote client's, through the call's trailers).
 *
 * @param connection the session the operation runs in
 * @param target     where that session goes
 * @param resolver   resolves other nodes named in a request (named connections, PG* settings)
 * @param notices    notices from the server, e.g. "job 7 was already finished"
 * @param warnings   warnings about the request, e.g. a connections file readable by others
 * @param verbose    diagnostics shown with --verbose
 */
public record ServerSession(Connection connection, ConnectionSpec target, ConnectionResolver resolver,
        Consumer<String> notices, Consumer<String> warnings, Consumer<String> verbose) {
}
