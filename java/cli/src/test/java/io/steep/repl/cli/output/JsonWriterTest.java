package io.steep.repl.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steep.repl.health.HealthRow;
import io.steep.repl.job.JobView;
import io.steep.repl.node.NodeStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON field names are an interface: pin them down. */
class JsonWriterTest {
    private static final OffsetDateTime T = OffsetDateTime.parse("2026-01-02T03:04:05.123456Z");

    private static JsonNode write(Object document) throws Exception {
        StringWriter text = new StringWriter();
        JsonWriter.write(new PrintWriter(text), document);
        return new ObjectMapper().readTree(text.toString());
    }

    @Test
    void nodeStatusFields() throws Exception {
        NodeStatus status = new NodeStatus("node-a", "Node A", "db1", 5432, 50, T, null, Duration.ofMillis(1500),
                true, "healthy");

        JsonNode json = write(Map.of("nodes", List.of(status))).get("nodes").get(0);

        assertThat(json.get("node_id").asText()).isEqualTo("node-a");
        assertThat(json.get("registered_at").asText()).isEqualTo("2026-01-02T03:04:05.123456Z");
        assertThat(json.get("last_heartbeat").isNull()).isTrue();
        assertThat(json.get("heartbeat_age").asDouble()).isEqualTo(1.5);
        assertThat(json.get("is_healthy").asBoolean()).isTrue();
        assertThat(json.get("state").asText()).isEqualTo("healthy");
        assertThat(json.size()).isEqualTo(10);
    }

    @Test
    void derivedGettersAreNotWritten() throws Exception {
        JobView job = new JobView(7, "ping", "complete", "alice", 1, 1, false, T, T, T, T, Duration.ofSeconds(2),
                null, new ObjectMapper().readTree("{}"), new ObjectMapper().readTree("{\"ok\": true}"));

        JsonNode json = write(job);
        JsonNode health = write(new HealthRow("queue", "error", "3 failed"));

        assertThat(json.has("finished")).isFalse();
        assertThat(json.has("is_finished")).isFalse();
        assertThat(json.get("max_attempts").asInt()).isEqualTo(1);
        assertThat(json.get("result").get("ok").asBoolean()).isTrue();
        assertThat(json.get("duration").asDouble()).isEqualTo(2.0);
        assertThat(health.fieldNames()).toIterable().containsExactly("component", "status", "detail");
    }
}
