package io.steep.repl.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobHandlersTest {

    private record Named(String kind) implements JobHandler {
        @Override
        public JsonNode run(JobContext context) {
            return null;
        }
    }

    @Test
    void findsHandlersByKind() {
        Named a = new Named("a.one");
        Named b = new Named("b-two");
        JobHandlers handlers = JobHandlers.of(List.of(b, a));

        assertThat(handlers.find("a.one")).containsSame(a);
        assertThat(handlers.find("b-two")).containsSame(b);
        assertThat(handlers.find("c")).isEmpty();
        assertThat(handlers.kinds()).containsExactly("a.one", "b-two");
    }

    @Test
    void refusesTwoHandlersForOneKind() {
        assertThatThrownBy(() -> JobHandlers.of(List.of(new Named("dup"), new Named("dup"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("job kind 'dup' is provided by both");
    }

    @Test
    void refusesKindsTheQueueWouldReject() {
        for (String kind : new String[] {"", "Upper", "9starts-with-digit", "has space", "x".repeat(64)}) {
            assertThatThrownBy(() -> JobHandlers.of(List.of(new Named(kind)))).as(kind)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("invalid kind");
        }
        assertThat(JobHandlers.of(List.of(new Named("x".repeat(63)))).kinds()).hasSize(1);
    }

    @Test
    void serviceLoaderFindsTheBuiltInPingHandler() {
        JobHandlers handlers = JobHandlers.load(getClass().getClassLoader());

        assertThat(handlers.find("ping")).get().isInstanceOf(PingJobHandler.class);
    }
}
