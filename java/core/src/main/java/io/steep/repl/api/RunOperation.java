package io.steep.repl.api;

import io.steep.repl.run.RunKind;
import io.steep.repl.run.RunProgress;
import io.steep.repl.run.RunRecord;
import java.sql.SQLException;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * An operation that starts a long run (a snapshot generate or apply, a merge) and, unless the
 * request detaches, follows it to its end. The daemon serves it as a server-streaming method
 * ({@code RunEvent}s: started, progress..., finished); the CLI shows the same events the same
 * way in both modes.
 *
 * @param <Q> the request record
 * @param <R> the run's history row
 * @param <P> its progress row
 */
public final class RunOperation<Q, R extends RunRecord, P extends RunProgress> {
    private final String method;
    private final Class<Q> requestType;
    private final RunKind<R, P> kind;
    private final Class<R> runType;
    private final Class<P> progressType;
    private final Predicate<Q> detached;
    private final StartBody<Q, R> start;

    private RunOperation(String method, Class<Q> requestType, RunKind<R, P> kind, Class<R> runType,
            Class<P> progressType, Predicate<Q> detached, StartBody<Q, R> start) {
        this.method = Objects.requireNonNull(method);
        this.requestType = Objects.requireNonNull(requestType);
        this.kind = Objects.requireNonNull(kind);
        this.runType = Objects.requireNonNull(runType);
        this.progressType = Objects.requireNonNull(progressType);
        this.detached = Objects.requireNonNull(detached);
        this.start = Objects.requireNonNull(start);
    }

    /**
     * @param method   {@code Service/Method} in package steep.repl.v1, e.g. {@code SnapshotService/Generate}
     * @param detached whether a request asks to return once the run is started
     * @param start    starts the run; returns its row as started and where to follow it
     */
    public static <Q, R extends RunRecord, P extends RunProgress> RunOperation<Q, R, P> of(String method,
            Class<Q> requestType, RunKind<R, P> kind, Class<R> runType, Class<P> progressType,
            Predicate<Q> detached, StartBody<Q, R> start) {
        return new RunOperation<>(method, requestType, kind, runType, progressType, detached, start);
    }

    public String method() {
        return "steep.repl.v1." + method;
    }

    public Class<Q> requestType() {
        return requestType;
    }

    public RunKind<R, P> kind() {
        return kind;
    }

    public Class<R> runType() {
        return runType;
    }

    public Class<P> progressType() {
        return progressType;
    }

    public boolean detached(Q request) {
        return detached.test(request);
    }

    public Started<R> start(ServerSession session, Q request) throws SQLException {
        return start.start(session, request);
    }

    /** Starts the run on the server. */
    @FunctionalInterface
    public interface StartBody<Q, R> {
        Started<R> start(ServerSession session, Q request) throws SQLException;
    }

    @Override
    public String toString() {
        return method();
    }
}
