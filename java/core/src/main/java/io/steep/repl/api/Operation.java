package io.steep.repl.api;

import com.fasterxml.jackson.core.type.TypeReference;
import java.sql.SQLException;
import java.util.Objects;

/**
 * One thing a client asks of a node's server (register a node, list jobs, analyze overlap...):
 * a request record in, a result out. The same body runs for the CLI in direct mode and in the
 * daemon for a remote client; the daemon serves it as the gRPC method of the same name, whose
 * request message has the request record's fields and whose result is the JSON of the result
 * ({@link JsonShape}).
 *
 * @param <Q> the request record
 * @param <R> the result
 */
public final class Operation<Q, R> {
    private final String method;
    private final Class<Q> requestType;
    private final TypeReference<R> resultType;
    private final Body<Q, R> body;

    private Operation(String method, Class<Q> requestType, TypeReference<R> resultType, Body<Q, R> body) {
        this.method = Objects.requireNonNull(method);
        this.requestType = Objects.requireNonNull(requestType);
        this.resultType = Objects.requireNonNull(resultType);
        this.body = Objects.requireNonNull(body);
    }

    /**
     * @param method the gRPC method that serves it, {@code Service/Method} in package steep.repl.v1,
     *               e.g. {@code NodeService/Status}
     */
    public static <Q, R> Operation<Q, R> of(String method, Class<Q> requestType, TypeReference<R> resultType,
            Body<Q, R> body) {
        return new Operation<>(method, requestType, resultType, body);
    }

    /** The full gRPC method name, e.g. {@code steep.repl.v1.NodeService/Status}. */
    public String method() {
        return "steep.repl.v1." + method;
    }

    public Class<Q> requestType() {
        return requestType;
    }

    public TypeReference<R> resultType() {
        return resultType;
    }

    public R run(ServerSession session, Q request) throws SQLException {
        return body.run(session, request);
    }

    @Override
    public String toString() {
        return method();
    }

    /** What the operation does on the server. */
    @FunctionalInterface
    public interface Body<Q, R> {
        R run(ServerSession session, Q request) throws SQLException;
    }
}
