package io.steep.repl.api;

import java.sql.SQLException;

/** Runs operations in this process, in the session given. */
public final class DirectBackend implements Backend {
    private final ServerSession session;

    public DirectBackend(ServerSession session) {
        this.session = session;
    }

    @Override
    public <Q, R> R call(Operation<Q, R> operation, Q request) throws SQLException {
        return operation.run(session, request);
    }

    public ServerSession session() {
        return session;
    }

    @Override
    public String describe() {
        return "direct: " + session.target();
    }
}
