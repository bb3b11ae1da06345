package io.steep.repl.daemon.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.steep.repl.snapshot.SnapshotOperations;
import java.lang.reflect.RecordComponent;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every request of the snapshot operations crosses the wire intact: record to message and back
 * gives an equal record, with every field set to something other than its default (so a field
 * the message lacks, or names differently, fails here rather than arriving as zero).
 */
class SnapshotRequestMessagesTest {

    private static final List<Case> CASES = List.of(
            new Case(SnapshotOperations.GENERATE.method(), new SnapshotOperations.GenerateRequest("node-a",
                    "/srv/snap/shop", "zstd:3", 7, true, "sub_node_b", true, "sha256", "text")),
            new Case(SnapshotOperations.APPLY.method(), new SnapshotOperations.ApplyRequest("node-b", "/srv/snap/shop",
                    9, true, true, true)),
            new Case(SnapshotOperations.LIST.method(), new SnapshotOperations.ListRequest(5)),
            new Case(SnapshotOperations.PROGRESS.method(),
                    new SnapshotOperations.ProgressRequest("snap_20261121_013000_ab12cd34")),
            new Case(SnapshotOperations.CANCEL.method(),
                    new SnapshotOperations.CancelRequest("snap_20261121_013000_ab12cd34")),
            new Case(SnapshotOperations.VERIFY.method(), new SnapshotOperations.VerifyRequest("/srv/snap/shop", true)));

    private record Case(String method, Record request) {
    }

    @Test
    void everyRequestRoundTripsWithEveryFieldSet() throws Exception {
        for (Case c : CASES) {
            for (RecordComponent component : c.request().getClass().getRecordComponents()) {
                Object value = component.getAccessor().invoke(c.request());
                assertThat(value).as("%s.%s is set", c.request().getClass().getSimpleName(), component.getName())
                        .isNotNull().isNotEqualTo(0).isNotEqualTo(false).isNotEqualTo("");
            }
            MethodDescriptor<Message, ?> method = Contract.method(c.method());
            Message message = RequestMessages.toMessage(c.request(), Contract.requestBuilder(method));
            assertThat(message.getAllFields()).as(c.method() + " fields set").hasSize(
                    c.request().getClass().getRecordComponents().length);
            assertThat(RequestMessages.toRecord(message, c.request().getClass())).as(c.method())
                    .isEqualTo(c.request());
        }
    }

    @Test
    void absentOptionalsStayNull() {
        SnapshotOperations.ProgressRequest every = new SnapshotOperations.ProgressRequest(null);
        MethodDescriptor<Message, ?> method = Contract.method(SnapshotOperations.PROGRESS.method());
        Message message = RequestMessages.toMessage(every, Contract.requestBuilder(method));
        assertThat(RequestMessages.toRecord(message, SnapshotOperations.ProgressRequest.class)).isEqualTo(every);
        SnapshotOperations.GenerateRequest defaultSlot = new SnapshotOperations.GenerateRequest("node-a", "/s",
                "none", 4, false, null, false, null, null);
        Message generate = RequestMessages.toMessage(defaultSlot,
                Contract.requestBuilder(Contract.method(SnapshotOperations.GENERATE.method())));
        assertThat(RequestMessages.toRecord(generate, SnapshotOperations.GenerateRequest.class)).isEqualTo(defaultSlot);
    }
}
