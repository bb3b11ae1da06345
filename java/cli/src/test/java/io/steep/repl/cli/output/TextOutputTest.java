package io.steep.repl.cli.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TextOutputTest {

    @Test
    void tablesAlignColumnsAndLeaveNullsEmpty() {
        TextTable table = new TextTable("ID", "NAME", "STATE").row(1, "node-a", "healthy").row(22, null, "stale");

        assertThat(table.lines()).containsExactly(
                "ID  NAME    STATE",
                "1   node-a  healthy",
                "22          stale");
    }

    @Test
    void aRowMustFillEveryColumn() {
        assertThatThrownBy(() -> new TextTable("A", "B").row("x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keyValuesAlignAndSkipNulls() {
        assertThat(new KeyValues().add("node id", "a").add("missing", null).add("last heartbeat", "never").lines())
                .containsExactly("node id:        a", "last heartbeat: never");
    }

    @Test
    void durationsForPeople() {
        assertThat(HumanFormat.duration(Duration.ofMillis(850))).isEqualTo("850ms");
        assertThat(HumanFormat.duration(Duration.ofSeconds(12))).isEqualTo("12s");
        assertThat(HumanFormat.duration(Duration.ofSeconds(184))).isEqualTo("3m 04s");
        assertThat(HumanFormat.duration(Duration.ofMinutes(125))).isEqualTo("2h 05m");
        assertThat(HumanFormat.duration(Duration.ofHours(76))).isEqualTo("3d 04h");
        assertThat(HumanFormat.duration(null)).isNull();
    }
}
