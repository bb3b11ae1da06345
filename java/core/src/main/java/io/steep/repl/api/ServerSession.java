package io.steep.repl.api;

import io.steep.repl.jdbc.ConnectionResolver;
import io.steep.repl.jdbc.ConnectionSpec;
import java.sql.Connection;
import java.util.function.Consumer;

/**
 * Where an {@link Operation} runs: an autocommit session on the node's server, where it goes,
 * how other nodes named in the request are resolved, and where the operation's notices and
 * warnings go (the CLI's stderr; a remote client's, through the call's result).
 *
 * <p>In a daemon the session is confined ({@code confined} true): the request comes from a
 * client, so the operation opens no connection of its own and resolves no node name with the
 * daemon's settings. Otherwise a client could name a host of its choosing and receive the
 * daemon's password (from its environment, .pgpass or service file), or its client
 * certificate. The session's database is NODE-A; other nodes are reached by that server, by
 * names it knows (docs/daemon.md, "What a client can make the daemon do").
 *
 * @param connection the session the operation runs in
 * @param target     where that session goes
 * @param resolver   resolves other nodes named in a request (named connections, PG* settings)
 * @param notices    notices from the server, e.g. "job 7 was already finished"
 * @param warnings   warnings about the request, e.g. a connections file readable by others
 * @param verbose    diagnostics shown with --verbose
 * @param confined   true in a daemon: no other connection, no name resolved with the host's settings
 */
public record ServerSession(Connection connection, ConnectionSpec target, ConnectionResolver resolver,
        Consumer<String> notices, Consumer<String> warnings, Consumer<String> verbose, boolean confined) {
}
