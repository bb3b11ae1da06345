package io.steep.repl.api;

import io.steep.repl.run.RunProgress;
import io.steep.repl.run.RunRecord;
import io.steep.repl.run.RunWatcher;
import io.steep.repl.run.Runs;
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

    @Override
    public <Q, R extends RunRecord, P extends RunProgress> R start(RunOperation<Q, R, P> operation, Q request,
            RunListener<R, P> listener) throws SQLException {
        try (Started<R> started = operation.start(session, request)) {
            listener.started(started.run());
            if (operation.detached(request)) {
                return started.run();
            }
            return RunWatcher.follow(new Runs<>(started.connection(), operation.kind()), started.run(),
                    listener::progress, () -> false);
        }
    }

    public ServerSession session() {
        return session;
    }

    @Override
    public String describe() {
        return "direct: " + session.target();
    }
}
