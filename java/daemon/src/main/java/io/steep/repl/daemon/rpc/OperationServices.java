package io.steep.repl.daemon.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.steep.repl.SteepReplException;
import io.steep.repl.api.JsonShape;
import io.steep.repl.api.Operation;
import io.steep.repl.api.RunOperation;
import io.steep.repl.api.ServerSession;
import io.steep.repl.api.Started;
import io.steep.repl.daemon.Daemon;
import io.steep.repl.daemon.Database;
import io.steep.repl.jdbc.ConnectionResolver;
import io.steep.repl.jdbc.Environment;
import io.steep.repl.jdbc.Redaction;
import io.steep.repl.jdbc.SqlErrors;
import io.steep.repl.proto.v1.Result;
import io.steep.repl.proto.v1.RunEvent;
import io.steep.repl.run.RunProgress;
import io.steep.repl.run.RunRecord;
import io.steep.repl.run.RunWatcher;
import io.steep.repl.run.Runs;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The daemon's gRPC services: every method of the {@link Contract} runs its {@link Operation}
 * (the code the CLI runs in direct mode) in a new session on the daemon's database, so no
 * operation has a second implementation. Each call gets its own session, closed when it ends.
 */
public final class OperationServices {
    private final Database database;
    private final Environment environment;
    private final BooleanSupplier shuttingDown;

    private OperationServices(Database database, Environment environment, BooleanSupplier shuttingDown) {
        this.database = database;
        this.environment = environment;
        this.shuttingDown = shuttingDown;
    }

    /**
     * What a client's request may resolve names with: nothing of the daemon's (no variables, no
     * home with .pgpass or connection files, no service file), so no daemon secret can follow a
     * name a client chose. Sessions are confined anyway ({@link ServerSession#confined()}).
     */
    private static final Environment CLIENTS = new Environment(Map.of(), Path.of("/nonexistent"), "nobody", null,
            Path.of("/nonexistent"));

    /** The services over {@code database} (a {@link io.steep.repl.daemon.ServiceFactory}). */
    public static List<ServerServiceDefinition> services(Database database) {
        return services(database, () -> false);
    }

    /**
     * @param shuttingDown true once the daemon stops: open progress streams then end with
     *                     UNAVAILABLE "daemon shutting down" (their runs go on)
     */
    public static List<ServerServiceDefinition> services(Database database, BooleanSupplier shuttingDown) {
        return new OperationServices(database, CLIENTS, shuttingDown).definitions();
    }

    private List<ServerServiceDefinition> definitions() {
        Map<String, Operation<?, ?>> unary = ServedOperations.UNARY.stream()
                .collect(Collectors.toMap(Operation::method, Function.identity()));
        Map<String, RunOperation<?, ?, ?>> runs = ServedOperations.RUNS.stream()
                .collect(Collectors.toMap(RunOperation::method, Function.identity()));
        List<ServerServiceDefinition> definitions = new ArrayList<>();
        for (ServiceDescriptor service : Contract.SERVICES) {
            ServerServiceDefinition.Builder builder = ServerServiceDefinition.builder(service);
            for (MethodDescriptor<?, ?> method : service.getMethods()) {
                Operation<?, ?> operation = unary.get(method.getFullMethodName());
                RunOperation<?, ?, ?> run = runs.get(method.getFullMethodName());
                if (operation != null) {
                    addUnary(builder, Contract.method(method.getFullMethodName()), operation);
                } else if (run != null) {
                    addRun(builder, Contract.method(method.getFullMethodName()), run);
                } else {
                    throw new IllegalStateException("no operation serves " + method.getFullMethodName());
                }
            }
            definitions.add(builder.build());
        }
        return definitions;
    }

    private <Q> void addUnary(ServerServiceDefinition.Builder builder, MethodDescriptor<Message, Result> method,
            Operation<Q, ?> operation) {
        builder.addMethod(method, ServerCalls.asyncUnaryCall(
                (Message request, StreamObserver<Result> reply) -> unary(operation, request, reply)));
    }

    private <Q, R> void unary(Operation<Q, R> operation, Message request, StreamObserver<Result> reply) {
        Result.Builder result = Result.newBuilder();
        try (Connection connection = database.open()) {
            Q parameters = RequestMessages.toRecord(request, operation.requestType());
            R value = operation.run(session(connection, result), parameters);
            reply.onNext(result.setJson(JsonShape.MAPPER.writeValueAsString(value)).build());
            reply.onCompleted();
        } catch (Exception e) {
            reply.onError(status(operation, e));
        }
    }

    private <Q> void addRun(ServerServiceDefinition.Builder builder, MethodDescriptor<Message, RunEvent> method,
            RunOperation<Q, ?, ?> operation) {
        builder.addMethod(method, ServerCalls.asyncServerStreamingCall(
                (Message request, StreamObserver<RunEvent> events) -> run(operation, request,
                        (ServerCallStreamObserver<RunEvent>) events)));
    }

    /**
     * Starts the run, then streams its progress until it ends, the client goes away or the
     * daemon stops; the last two leave the run going on the server.
     */
    private <Q, R extends RunRecord, P extends RunProgress> void run(RunOperation<Q, R, P> operation,
            Message request, ServerCallStreamObserver<RunEvent> events) {
        Result.Builder ignored = Result.newBuilder();
        try (Connection connection = database.open()) {
            Q parameters = RequestMessages.toRecord(request, operation.requestType());
            try (Started<R> started = operation.start(session(connection, ignored), parameters)) {
                events.onNext(RunEvent.newBuilder().setStarted(json(started.run())).build());
                if (operation.detached(parameters)) {
                    events.onCompleted();
                    return;
                }
                R last = RunWatcher.follow(new Runs<>(started.connection(), operation.kind()), started.run(),
                        progress -> events.onNext(RunEvent.newBuilder().setProgress(json(progress)).build()),
                        () -> events.isCancelled() || shuttingDown.getAsBoolean());
                if (events.isCancelled()) {
                    return;
                }
                if (!last.isFinished()) {
                    events.onError(Status.UNAVAILABLE.withDescription(Daemon.SHUTTING_DOWN + "; " + operation.kind().noun()
                            + " " + last.runId() + " goes on running on the server").asRuntimeException());
                    return;
                }
                events.onNext(RunEvent.newBuilder().setFinished(json(last)).build());
                events.onCompleted();
            }
        } catch (Exception e) {
            if (!events.isCancelled()) {
                events.onError(status(operation, e));
            }
        }
    }

    private ServerSession session(Connection connection, Result.Builder result) {
        return new ServerSession(connection, database.target(),
                new ConnectionResolver(environment, result::addWarnings), result::addNotices,
                result::addWarnings, message -> { }, true);
    }

    private static String json(Object value) {
        try {
            return JsonShape.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static StatusRuntimeException status(Object operation, Exception e) {
        if (e instanceof SteepReplException known) {
            return Failures.toStatus(known);
        }
        if (e instanceof SQLException sql) {
            return Failures.toStatus(SqlErrors.translate(sql));
        }
        System.err.println("steep-repl daemon: " + operation + " failed: " + Redaction.scrub(String.valueOf(e)));
        return Status.INTERNAL.withDescription("unexpected " + e.getClass().getSimpleName()
                + " in the daemon: " + Redaction.scrub(e.getMessage())).asRuntimeException();
    }
}
