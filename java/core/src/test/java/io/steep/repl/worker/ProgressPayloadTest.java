package io.steep.repl.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steep.repl.job.ProgressUpdate;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressPayloadTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode parse(String payload) throws Exception {
        assertThat(payload.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(ProgressPayload.MAX_BYTES);
        return JSON.readTree(payload);
    }

    @Test
    void aProgressMessageHasTheDocumentedFields() throws Exception {
        JsonNode node = parse(ProgressPayload.progress(42, "test.sleep",
                ProgressUpdate.phase("running").withPercent(45.2).withCurrentItem("step 4/10").withItems(4, 10)));

        assertThat(node.get("op").asText()).isEqualTo("job");
        assertThat(node.get("job_id").asLong()).isEqualTo(42);
        assertThat(node.get("kind").asText()).isEqualTo("test.sleep");
        assertThat(node.get("phase").asText()).isEqualTo("running");
        assertThat(node.get("percent").asDouble()).isEqualTo(45.2);
        assertThat(node.get("item").asText()).isEqualTo("step 4/10");
        assertThat(node.get("items_done").asLong()).isEqualTo(4);
        assertThat(node.get("items_total").asLong()).isEqualTo(10);
        assertThat(node.has("rows_done")).isFalse();
        assertThat(node.has("error")).isFalse();
    }

    @Test
    void theLastMessageOfAFailedJobCarriesNoErrorTextForAnyListenerToRead() throws Exception {
        JsonNode node = parse(ProgressPayload.last(7, "k", ProgressUpdate.phase("copy").withPercent(30),
                JobOutcome.failed("permission denied for table secret_salaries"), true));

        assertThat(node.get("phase").asText()).isEqualTo("failed");
        assertThat(node.has("error")).isFalse();
        assertThat(node.toString()).doesNotContain("secret_salaries");
        assertThat(node.get("percent").asDouble()).isEqualTo(30.0);
        assertThat(node.get("will_retry").asBoolean()).isTrue();
    }

    @Test
    void aCompleteJobEndsAtOneHundredPercent() throws Exception {
        JsonNode node = parse(ProgressPayload.last(7, "ping", null, JobOutcome.complete(null), false));

        assertThat(node.get("phase").asText()).isEqualTo("complete");
        assertThat(node.get("percent").asDouble()).isEqualTo(100.0);
        assertThat(node.has("error")).isFalse();
        assertThat(node.has("will_retry")).isFalse();
    }

    @Test
    void aCancelledJobSaysSoWithoutAnError() throws Exception {
        JsonNode node = parse(ProgressPayload.last(7, "k", null, JobOutcome.cancelled(), false));

        assertThat(node.get("phase").asText()).isEqualTo("cancelled");
        assertThat(node.has("error")).isFalse();
    }

    @Test
    void hugeTextsAreCutToFitThePayloadLimit() throws Exception {
        // Control characters cost six bytes each once escaped, multi-byte letters up to four.
        String item = "\u0001\u00e9\uD83D\uDE00".repeat(5000);

        JsonNode progress = parse(ProgressPayload.progress(1, "k", ProgressUpdate.phase("p").withCurrentItem(item)));

        assertThat(progress.get("item").asText()).endsWith("...");
        assertThat(item).startsWith(progress.get("item").asText().replace("...", ""));
    }

    @Test
    void aLongPhaseIsCut() throws Exception {
        JsonNode node = parse(ProgressPayload.progress(1, "k", ProgressUpdate.phase("p".repeat(500))));

        assertThat(node.get("phase").asText()).hasSize(ProgressPayload.MAX_PHASE_CHARS);
    }
}
