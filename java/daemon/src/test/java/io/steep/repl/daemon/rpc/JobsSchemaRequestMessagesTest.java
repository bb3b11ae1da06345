package io.steep.repl.daemon.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import io.steep.repl.api.Operation;
import io.steep.repl.job.JobOperations;
import io.steep.repl.schema.SchemaOperations;
import io.steep.repl.schema.SchemaScope;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every request of the jobs and schema operations crosses to the daemon and back unchanged, with
 * every field set to a value that is not its default (so a field the message lacks, or reads
 * under another name or type, fails here rather than arriving as a default).
 */
class JobsSchemaRequestMessagesTest {
    private static final SchemaScope SCOPE = new SchemaScope(List.of("public", "Sales"), true, true);

    private static <Q> void assertRoundTrip(Operation<Q, ?> operation, Q request) {
        Message message = RequestMessages.toMessage(request,
                Contract.requestBuilder(Contract.method(operation.method())));
        assertThat(RequestMessages.toRecord(message, operation.requestType())).isEqualTo(request);
    }

    @Test
    void jobRequests() {
        assertRoundTrip(JobOperations.LIST, new JobOperations.ListRequest("failed", 7));
        assertRoundTrip(JobOperations.SHOW, new JobOperations.JobIdRequest(9_007_199_254_740_993L));
        assertRoundTrip(JobOperations.CANCEL, new JobOperations.JobIdRequest(42));
        assertRoundTrip(JobOperations.SUBMIT, new JobOperations.SubmitRequest("ping", "{\"note\": \"x\"}", 3));
        assertRoundTrip(JobOperations.AWAIT, new JobOperations.AwaitRequest(43, 1_500L));
    }

    @Test
    void absentOptionalsStayAbsent() {
        assertRoundTrip(JobOperations.LIST, new JobOperations.ListRequest(null, 50));
        assertRoundTrip(JobOperations.SUBMIT, new JobOperations.SubmitRequest("ping", null, null));
        assertRoundTrip(JobOperations.AWAIT, new JobOperations.AwaitRequest(43, null));
        assertRoundTrip(SchemaOperations.COMPARE,
                new SchemaOperations.CompareRequest(List.of("a", "b"), null, false, SchemaScope.all()));
    }

    @Test
    void schemaRequests() {
        assertRoundTrip(SchemaOperations.CAPTURE, new SchemaOperations.CaptureRequest(SCOPE));
        assertRoundTrip(SchemaOperations.COMPARE, new SchemaOperations.CompareRequest(List.of("node-a", "node-b"),
                "host=db2 dbname=app", true, SCOPE));
        assertRoundTrip(SchemaOperations.DIFF, new SchemaOperations.DiffRequest("public.\"Orders\"",
                List.of("node-a", "node-b"), "node-b", true, SCOPE));
    }
}
