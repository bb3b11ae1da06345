package io.steep.repl.daemon.grpc;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Knows the calls in progress, so that the daemon can count them and, when a shutdown's grace
 * runs out, end each with a status that says why ({@code grpc-java}'s own shutdownNow says only
 * that the server was shut down).
 */
public final class OpenCalls implements ServerInterceptor {
    private final Set<EndableCall<?, ?>> open = ConcurrentHashMap.newKeySet();

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
            ServerCallHandler<ReqT, RespT> next) {
        EndableCall<ReqT, RespT> endable = new EndableCall<>(call);
        open.add(endable);
        ServerCall.Listener<ReqT> listener;
        try {
            listener = next.startCall(endable, headers);
        } catch (RuntimeException | Error e) {
            open.remove(endable);
            throw e;
        }
        return new SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onComplete() {
                open.remove(endable);
                super.onComplete();
            }

            @Override
            public void onCancel() {
                open.remove(endable);
                super.onCancel();
            }
        };
    }

    public int count() {
        return open.size();
    }

    /** Ends every open call with {@code status}; returns how many it ended. */
    public int endAll(Status status) {
        int ended = 0;
        for (EndableCall<?, ?> call : open) {
            if (call.end(status)) {
                ended++;
            }
        }
        return ended;
    }

    /**
     * A call that another thread may end. ServerCall is not thread-safe, so every method that
     * writes to it holds the call's lock; after an end, a handler's further messages fail with
     * the ending status (which stops a handler that streams) and its own close is dropped.
     */
    private static final class EndableCall<ReqT, RespT> extends SimpleForwardingServerCall<ReqT, RespT> {
        private Status endedWith;

        EndableCall(ServerCall<ReqT, RespT> call) {
            super(call);
        }

        synchronized boolean end(Status status) {
            if (endedWith != null) {
                return false;
            }
            endedWith = status;
            try {
                super.close(status, new Metadata());
            } catch (IllegalStateException alreadyClosed) {
                return false; // the handler closed it a moment ago
            }
            return true;
        }

        @Override
        public synchronized void sendHeaders(Metadata headers) {
            if (endedWith == null) {
                super.sendHeaders(headers);
            }
        }

        @Override
        public synchronized void sendMessage(RespT message) {
            if (endedWith != null) {
                throw endedWith.asRuntimeException();
            }
            super.sendMessage(message);
        }

        @Override
        public synchronized void close(Status status, Metadata trailers) {
            if (endedWith == null) {
                endedWith = status;
                super.close(status, trailers);
            }
        }
    }
}
