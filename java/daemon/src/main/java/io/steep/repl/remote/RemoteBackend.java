package io.steep.repl.remote;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.google.protobuf.Message;
import io.grpc.CallCredentials;
import io.grpc.CallOptions;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.ClientCalls;
import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import io.steep.repl.api.Backend;
import io.steep.repl.api.JsonShape;
import io.steep.repl.api.Operation;
import io.steep.repl.api.RunListener;
import io.steep.repl.api.RunOperation;
import io.steep.repl.daemon.rpc.Contract;
import io.steep.repl.daemon.rpc.Failures;
import io.steep.repl.daemon.rpc.RequestMessages;
import io.steep.repl.proto.v1.Result;
import io.steep.repl.proto.v1.RunEvent;
import io.steep.repl.run.RunProgress;
import io.steep.repl.run.RunRecord;
import java.io.IOException;
import java.util.Iterator;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs operations through a steep-repl daemon: the request record goes as its typed message,
 * the daemon runs the same operation against its database, and the result comes back as the
 * JSON of the same record. Notices and warnings of the call go where direct mode sends them.
 */
public final class RemoteBackend implements Backend, AutoCloseable {
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final RemoteOptions options;
    private final ManagedChannel channel;
    private final CallOptions callOptions;
    private final Consumer<String> notices;
    private final Consumer<String> warnings;

    public RemoteBackend(RemoteOptions options, Consumer<String> notices, Consumer<String> warnings) {
        this.options = options;
        this.channel = Grpc.newChannelBuilderForAddress(options.address().host(), options.address().port(),
                credentials(options)).build();
        this.callOptions = options.token() == null ? CallOptions.DEFAULT
                : CallOptions.DEFAULT.withCallCredentials(new BearerToken(options.token()));
        this.notices = notices;
        this.warnings = warnings;
    }

    @Override
    public <Q, R> R call(Operation<Q, R> operation, Q request) {
        MethodDescriptor<Message, Result> method = Contract.method(operation.method());
        Message message = RequestMessages.toMessage(request, Contract.requestBuilder(method));
        Result result;
        try {
            result = ClientCalls.blockingUnaryCall(channel, method, callOptions, message);
        } catch (StatusRuntimeException e) {
            throw Failures.fromStatus(e, options.address().toString());
        }
        result.getNoticesList().forEach(notices);
        result.getWarningsList().forEach(warnings);
        try {
            return JsonShape.MAPPER.readValue(result.getJson(), operation.resultType());
        } catch (JsonProcessingException e) {
            throw unreadable(operation, e);
        }
    }

    private static <T> T read(String json, Class<T> type, Object operation) {
        try {
            return JsonShape.MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw unreadable(operation, e);
        }
    }

    private static SteepReplException unreadable(Object operation, JsonProcessingException e) {
        return new SteepReplException(ErrorCode.ERROR, "the daemon's result of " + operation
                + " cannot be read: " + e.getOriginalMessage(), "Run the same version of steep-repl as the daemon.");
    }

    @Override
    public <Q, R extends RunRecord, P extends RunProgress> R start(RunOperation<Q, R, P> operation, Q request,
            RunListener<R, P> listener) {
        MethodDescriptor<Message, RunEvent> method = Contract.method(operation.method());
        Message message = RequestMessages.toMessage(request, Contract.requestBuilder(method));
        R run = null;
        try {
            Iterator<RunEvent> events = ClientCalls.blockingServerStreamingCall(channel, method, callOptions, message);
            while (events.hasNext()) {
                RunEvent event = events.next();
                switch (event.getEventCase()) {
                    case STARTED -> {
                        run = read(event.getStarted(), operation.runType(), operation);
                        listener.started(run);
                    }
                    case PROGRESS -> listener.progress(read(event.getProgress(), operation.progressType(), operation));
                    case FINISHED -> run = read(event.getFinished(), operation.runType(), operation);
                    default -> {
                        // an event of a newer contract: nothing to show
                    }
                }
            }
        } catch (StatusRuntimeException e) {
            throw Failures.fromStatus(e, options.address().toString());
        }
        if (run == null) {
            throw new SteepReplException(ErrorCode.CONNECTION, "the daemon ended " + operation + " before the run started",
                    null);
        }
        return run;
    }

    @Override
    public String describe() {
        return "remote: daemon at " + options;
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ChannelCredentials credentials(RemoteOptions options) {
        if (!options.tls()) {
            return InsecureChannelCredentials.create();
        }
        try {
            TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder();
            if (options.ca() != null) {
                tls.trustManager(options.ca().toFile());
            }
            if (options.cert() != null) {
                if (options.key() == null) {
                    throw new SteepReplException(ErrorCode.USAGE, "--cert needs --key",
                            "Give the client certificate's private key with --key FILE.");
                }
                tls.keyManager(options.cert().toFile(), options.key().toFile());
            }
            return tls.build();
        } catch (IOException | IllegalArgumentException e) {
            throw new SteepReplException(ErrorCode.USAGE, "cannot read the TLS files for the daemon: " + e.getMessage(),
                    "--ca, --cert and --key take PEM files, e.g. those `steep-repl daemon tls init` writes.");
        }
    }

    /** The daemon's bearer token on every call. */
    private static final class BearerToken extends CallCredentials {
        private final String token;

        BearerToken(String token) {
            this.token = token;
        }

        @Override
        public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
            Metadata headers = new Metadata();
            headers.put(AUTHORIZATION, "Bearer " + token);
            applier.apply(headers);
        }

        @Override
        public String toString() {
            return "bearer token";
        }
    }
}
