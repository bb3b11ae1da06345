package io.steep.repl.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlIdentifiersTest {

    @Test
    void quotesEveryNameAndDoublesQuotes() {
        assertThat(SqlIdentifiers.quote("alice")).isEqualTo("\"alice\"");
        assertThat(SqlIdentifiers.quote("we\"ird; DROP")).isEqualTo("\"we\"\"ird; DROP\"");
        assertThat(SqlIdentifiers.qualified("Sales", "Ümlaut \"t\"")).isEqualTo("\"Sales\".\"Ümlaut \"\"t\"\"\"");
        assertThat(SqlIdentifiers.quoteAll(List.of("a", "B"))).isEqualTo("\"a\", \"B\"");
    }

    @Test
    void literalsDoubleQuotesAndBackslashesAndRefuseNul() {
        assertThat(SqlIdentifiers.literal("/srv/snap/it's\\x.tmp")).isEqualTo("E'/srv/snap/it''s\\\\x.tmp'");
        assertThat(SqlIdentifiers.literal("")).isEqualTo("E''");
        assertThatThrownBy(() -> SqlIdentifiers.literal("a\0b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unquoteReversesQuote() {
        for (String name : List.of("plain", "Mixed", "a\"b", "\"", "x.y")) {
            assertThat(SqlIdentifiers.unquote(SqlIdentifiers.quote(name))).isEqualTo(name);
        }
        assertThat(SqlIdentifiers.unquote("bare")).isEqualTo("bare");
    }
}
