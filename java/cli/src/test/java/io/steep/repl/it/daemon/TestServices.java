package io.steep.repl.it.daemon;

import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.steep.repl.daemon.Database;
import io.steep.repl.proto.v1.CheckHealthRequest;
import io.steep.repl.proto.v1.HealthServiceGrpc;
import io.steep.repl.proto.v1.Result;
import io.steep.repl.proto.v1.RunEvent;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** gRPC services for the daemon's tests only: the operations' services are tested elsewhere. */
final class TestServices {
    /** A server stream that sends an event every 50 ms until the call ends. */
    static final MethodDescriptor<CheckHealthRequest, RunEvent> FOLLOW_FOREVER = MethodDescriptor.<CheckHealthRequest, RunEvent>newBuilder()
            .setType(MethodDescriptor.MethodType.SERVER_STREAMING)
            .setFullMethodName(MethodDescriptor.generateFullMethodName("steep.repl.test.Forever", "Follow"))
            .setRequestMarshaller(ProtoUtils.marshaller(CheckHealthRequest.getDefaultInstance()))
            .setResponseMarshaller(ProtoUtils.marshaller(RunEvent.getDefaultInstance()))
            .build();

    private TestServices() {
    }

    /** HealthService.Check answering {"user": current_user} from a session of the daemon's database. */
    static ServerServiceDefinition whoAmI(Database database) {
        return ServerServiceDefinition.builder(HealthServiceGrpc.getServiceDescriptor())
                .addMethod(HealthServiceGrpc.getCheckMethod(), ServerCalls.asyncUnaryCall((request, response) -> {
                    try (Connection c = database.open(); Statement s = c.createStatement();
                            ResultSet rs = s.executeQuery("SELECT current_user")) {
                        rs.next();
                        response.onNext(Result.newBuilder().setJson("{\"user\": \"" + rs.getString(1) + "\"}").build());
                        response.onCompleted();
                    } catch (SQLException | RuntimeException e) {
                        response.onError(Status.INTERNAL.withDescription(e.getMessage()).asRuntimeException());
                    }
                }))
                .build();
    }

    static ServerServiceDefinition forever() {
        return ServerServiceDefinition.builder("steep.repl.test.Forever")
                .addMethod(FOLLOW_FOREVER, ServerCalls.asyncServerStreamingCall((request, response) -> {
                    ServerCallStreamObserver<RunEvent> stream = (ServerCallStreamObserver<RunEvent>) response;
                    try {
                        for (int i = 0; !stream.isCancelled(); i++) {
                            stream.onNext(RunEvent.newBuilder().setProgress("{\"step\": " + i + "}").build());
                            Thread.sleep(50);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException endedByTheDaemon) {
                        // the daemon ended the call; nothing more to send
                    }
                }))
                .build();
    }
}
