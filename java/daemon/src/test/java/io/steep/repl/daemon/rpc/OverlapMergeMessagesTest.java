package io.steep.repl.daemon.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.steep.repl.merge.MergeOperations;
import io.steep.repl.merge.MergeOptions;
import io.steep.repl.overlap.OverlapOperations;
import io.steep.repl.overlap.OverlapOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every request of the overlap and merge operations crosses its message and comes back equal,
 * with every field set to something other than its default: a component the message lacks, or
 * one of another type, fails here rather than in a remote call.
 */
class OverlapMergeMessagesTest {

    private static <Q> Q roundTrip(String method, Q request) {
        MethodDescriptor<Message, Message> descriptor = Contract.method(method);
        Message message = RequestMessages.toMessage(request, Contract.requestBuilder(descriptor));
        @SuppressWarnings("unchecked")
        Class<Q> type = (Class<Q>) request.getClass();
        return RequestMessages.toRecord(message, type);
    }

    private static <Q> void assertRoundTrips(String method, Q request) {
        assertThat(roundTrip(method, request)).isEqualTo(request);
    }

    @Test
    void overlapAnalyze() {
        OverlapOperations.AnalyzeRequest request = new OverlapOperations.AnalyzeRequest("node-a", "host=b port=5433",
                List.of("public.t", "app.u"),
                new OverlapOptions(Map.of("public.t", List.of("id", "at"), "app.u", List.of("k")), 500, true),
                true, 7);
        assertRoundTrips(OverlapOperations.ANALYZE.method(), request);
        OverlapOperations.AnalyzeRequest defaults = new OverlapOperations.AnalyzeRequest("a", "b", List.of("public.t"),
                new OverlapOptions(Map.of(), null, false), false, null);
        assertRoundTrips(OverlapOperations.ANALYZE.method(), defaults);
    }

    @Test
    void mergeStart() {
        MergeOperations.StartRequest request = new MergeOperations.StartRequest("node-a", "node-b",
                List.of("public.t", "public.u"), "last-modified", true,
                new MergeOptions(Map.of("public.u", "manual"), Map.of("public.t", "updated_at"),
                        Map.of("public.u", List.of("a", "b")), "5s"),
                true);
        assertRoundTrips(MergeOperations.START.method(), request);
        MergeOperations.StartRequest defaults = new MergeOperations.StartRequest("a", "b", List.of("public.t"),
                "prefer-local", false, new MergeOptions(Map.of(), Map.of(), Map.of(), null), false);
        assertRoundTrips(MergeOperations.START.method(), defaults);
    }

    @Test
    void mergeStatusConflictsCancel() {
        assertRoundTrips(MergeOperations.STATUS.method(),
                new MergeOperations.StatusRequest("merge_20261206_031100_ab12cd34", 3));
        assertRoundTrips(MergeOperations.STATUS.method(), new MergeOperations.StatusRequest(null, 20));
        assertRoundTrips(MergeOperations.CONFLICTS.method(),
                new MergeOperations.ConflictsRequest("merge_20261206_031100_ab12cd34", 9));
        assertRoundTrips(MergeOperations.CANCEL.method(),
                new MergeOperations.MergeIdRequest("merge_20261206_031100_ab12cd34"));
    }
}
