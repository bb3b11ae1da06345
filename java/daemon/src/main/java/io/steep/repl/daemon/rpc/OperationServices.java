package io.steep.repl.daemon.rpc;

import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.steep.repl.SteepReplException;
import io.steep.repl.api.JsonShape;
import io.steep.repl.api.Operation;
import io.steep.repl.api.ServerSession;
import io.steep.repl.daemon.Database;
import io.steep.repl.jdbc.ConnectionResolver;
import io.steep.repl.jdbc.Environment;
import io.steep.repl.jdbc.Redaction;
import io.steep.repl.jdbc.SqlErrors;
import io.steep.repl.proto.v1.Result;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    private OperationServices(Database database, Environment environment) {
        this.database = database;
        this.environment = environment;
    }

    /** The services over {@code database} (a {@link io.steep.repl.daemon.ServiceFactory}). */
    public static List<ServerServiceDefinition> services(Database database) {
        return new OperationServices(database, Environment.system()).definitions();
    }

    private List<ServerServiceDefinition> definitions() {
        Map<String, Operation<?, ?>> unary = ServedOperations.UNARY.stream()
                .collect(Collectors.toMap(Operation::method, Function.identity()));
        List<ServerServiceDefinition> definitions = new ArrayList<>();
        for (ServiceDescriptor service : Contract.SERVICES) {
            ServerServiceDefinition.Builder builder = ServerServiceDefinition.builder(service);
            for (MethodDescriptor<?, ?> method : service.getMethods()) {
                Operation<?, ?> operation = unary.get(method.getFullMethodName());
                if (operation == null) {
                    throw new IllegalStateException("no operation serves " + method.getFullMethodName());
                }
                addUnary(builder, Contract.method(method.getFullMethodName()), operation);
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
            ServerSession session = new ServerSession(connection, database.target(),
                    new ConnectionResolver(environment, result::addWarnings), result::addNotices,
                    result::addWarnings, message -> { });
            R value = operation.run(session, parameters);
            reply.onNext(result.setJson(JsonShape.MAPPER.writeValueAsString(value)).build());
            reply.onCompleted();
        } catch (SteepReplException e) {
            reply.onError(Failures.toStatus(e));
        } catch (SQLException e) {
            reply.onError(Failures.toStatus(SqlErrors.translate(e)));
        } catch (Exception e) {
            System.err.println("steep-repl daemon: " + operation + " failed: " + Redaction.scrub(String.valueOf(e)));
            reply.onError(Status.INTERNAL.withDescription("unexpected " + e.getClass().getSimpleName()
                    + " in the daemon: " + Redaction.scrub(e.getMessage())).asRuntimeException());
        }
    }
}
