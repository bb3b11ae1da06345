package io.steep.repl.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steep.repl.job.ProgressUpdate;
import org.junit.jupiter.api.Test;

/** A handler's own notification op and fields, e.g. a snapshot's. */
class ProgressPayloadDetailsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final ProgressUpdate SNAPSHOT = ProgressUpdate.phase("data").withPercent(45.2)
            .withCurrentItem("public.orders").withRows(10).withOp("snapshot")
            .withDetail("snapshot_id", "snap_1").withDetail("table", "public.orders")
            .withDetail("bytes_per_sec", 2.5e6).withDetail("job_id", 999).withDetail("phase", "fake");

    @Test
    void anUpdateChoosesItsOpAndAddsDetails() throws Exception {
        JsonNode node = JSON.readTree(ProgressPayload.progress(42, "snapshot.generate", SNAPSHOT));

        assertThat(node.get("op").asText()).isEqualTo("snapshot");
        assertThat(node.get("snapshot_id").asText()).isEqualTo("snap_1");
        assertThat(node.get("table").asText()).isEqualTo("public.orders");
        assertThat(node.get("bytes_per_sec").asDouble()).isEqualTo(2.5e6);
        assertThat(node.get("percent").asDouble()).isEqualTo(45.2);
        assertThat(node.get("rows_done").asLong()).isEqualTo(10);
        // Details never replace the documented fields.
        assertThat(node.get("job_id").asLong()).isEqualTo(42);
        assertThat(node.get("phase").asText()).isEqualTo("data");
    }

    @Test
    void theLastMessageKeepsTheOpAndDetails() throws Exception {
        JsonNode node = JSON.readTree(ProgressPayload.last(42, "snapshot.generate", SNAPSHOT,
                JobOutcome.cancelled(), false));

        assertThat(node.get("op").asText()).isEqualTo("snapshot");
        assertThat(node.get("phase").asText()).isEqualTo("cancelled");
        assertThat(node.get("snapshot_id").asText()).isEqualTo("snap_1");
    }

    @Test
    void withoutAnOpTheMessageIsAJobMessage() throws Exception {
        JsonNode node = JSON.readTree(ProgressPayload.progress(1, "k", ProgressUpdate.phase("x")));

        assertThat(node.get("op").asText()).isEqualTo("job");
    }
}
