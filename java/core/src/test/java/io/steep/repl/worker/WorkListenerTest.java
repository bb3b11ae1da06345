package io.steep.repl.worker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WorkListenerTest {

    @Test
    void parsesTheTwoPayloads() {
        assertThat(WorkListener.parse("job 42")).contains(new WorkEvent.JobSubmitted(42));
        assertThat(WorkListener.parse("cancel 7")).contains(new WorkEvent.CancelRequested(7));
    }

    @Test
    void ignoresAnythingElse() {
        for (String payload : new String[] {null, "", "job", "job x", "stop 1", "job 1 2", "job 99999999999999999999"}) {
            assertThat(WorkListener.parse(payload)).as(String.valueOf(payload)).isEmpty();
        }
    }
}
