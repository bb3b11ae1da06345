package io.steep.repl.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import org.junit.jupiter.api.Test;

class ConnInfoTest {

    @Test
    void keywordValuePairsInOrder() {
        ConnInfo info = ConnInfo.parse("host=db1 port=5433 dbname=app user=steep");

        assertThat(info.form()).isEqualTo(ConnInfo.Form.KEYWORDS);
        assertThat(info.params()).containsExactly(entry("host", "db1"), entry("port", "5433"),
                entry("dbname", "app"), entry("user", "steep"));
    }

    @Test
    void quotedValuesKeepSpacesAndEscapes() {
        ConnInfo info = ConnInfo.parse("password='it\\'s a \\\\secret' dbname = 'my db'  application_name=''");

        assertThat(info.params()).containsExactly(entry("password", "it's a \\secret"), entry("dbname", "my db"),
                entry("application_name", ""));
    }

    @Test
    void backslashEscapesInUnquotedValues() {
        assertThat(ConnInfo.parse("password=a\\ b\\'c").params()).containsExactly(entry("password", "a b'c"));
    }

    @Test
    void aLaterKeywordOverridesAnEarlierOne() {
        assertThat(ConnInfo.parse("port=1 port=2").params()).containsExactly(entry("port", "2"));
    }

    @Test
    void emptyStringMeansNothingExplicit() {
        assertThat(ConnInfo.parse("   ").params()).isEmpty();
    }

    @Test
    void missingEqualsNamesThePositionNotTheText() {
        assertThatThrownBy(() -> ConnInfo.parse("password=abc sekrit dbname=x"))
                .isInstanceOfSatisfying(SteepReplException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.USAGE);
                    assertThat(e.getMessage()).contains("missing \"=\"").contains("character 14")
                            .doesNotContain("sekrit").doesNotContain("abc");
                    assertThat(e.hint()).contains("host=db1 port=5432").contains("postgresql://");
                });
    }

    @Test
    void unterminatedQuote() {
        assertThatThrownBy(() -> ConnInfo.parse("dbname=x password='abc"))
                .isInstanceOfSatisfying(SteepReplException.class, e -> assertThat(e.getMessage())
                        .contains("unterminated quoted string").doesNotContain("abc"));
    }

    @Test
    void unknownAndUnsupportedKeywordsAreRefused() {
        assertThatThrownBy(() -> ConnInfo.parse("hots=db1"))
                .isInstanceOfSatisfying(SteepReplException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.USAGE);
                    assertThat(e.getMessage()).contains("invalid connection option \"hots\"");
                    assertThat(e.hint()).contains("host");
                });
        assertThatThrownBy(() -> ConnInfo.parse("host=db1 requirepeer=postgres"))
                .hasMessageContaining("\"requirepeer\"").hasMessageContaining("not supported");
    }

    @Test
    void missingKeyword() {
        assertThatThrownBy(() -> ConnInfo.parse("=x")).hasMessageContaining("missing keyword");
    }

    @Test
    void fullUri() {
        ConnInfo info = ConnInfo.parse("postgresql://steep:pw@db1.example.com:5433/app?sslmode=require&connect_timeout=5");

        assertThat(info.form()).isEqualTo(ConnInfo.Form.URI);
        assertThat(info.params()).containsExactly(entry("user", "steep"), entry("password", "pw"),
                entry("host", "db1.example.com"), entry("port", "5433"), entry("dbname", "app"),
                entry("sslmode", "require"), entry("connect_timeout", "5"));
    }

    @Test
    void shortSchemeAndEmptyUri() {
        assertThat(ConnInfo.parse("postgres://db1").params()).containsExactly(entry("host", "db1"));
        assertThat(ConnInfo.parse("postgresql://").params()).isEmpty();
    }

    @Test
    void percentDecodingOfEveryPart() {
        ConnInfo info = ConnInfo.parse("postgresql://us%40er:p%40ss%2Fw%3Ard%20%E2%82%AC@db1/my%20db?application_name=a%26b");

        assertThat(info.params()).containsExactly(entry("user", "us@er"), entry("password", "p@ss/w:rd \u20ac"),
                entry("host", "db1"), entry("dbname", "my db"), entry("application_name", "a&b"));
    }

    @Test
    void ipv6HostsAndHostLists() {
        assertThat(ConnInfo.parse("postgresql://[::1]:5433/app").params())
                .containsExactly(entry("host", "::1"), entry("port", "5433"), entry("dbname", "app"));
        assertThat(ConnInfo.parse("postgresql://h1:5432,[fe80::1],h3:5434/app").params())
                .containsExactly(entry("host", "h1,fe80::1,h3"), entry("port", "5432,,5434"), entry("dbname", "app"));
    }

    @Test
    void socketDirectoryAsEncodedHostOrQueryParameter() {
        assertThat(ConnInfo.parse("postgresql://%2Fvar%2Frun%2Fpostgresql:5433/app").params())
                .containsEntry("host", "/var/run/postgresql").containsEntry("port", "5433");
        assertThat(ConnInfo.parse("postgresql:///app?host=/tmp/sock&port=6000").params())
                .containsExactly(entry("dbname", "app"), entry("host", "/tmp/sock"), entry("port", "6000"));
    }

    @Test
    void queryParametersOverrideTheUri() {
        assertThat(ConnInfo.parse("postgresql://a@db1/x?user=b&dbname=y").params())
                .containsEntry("user", "b").containsEntry("dbname", "y");
    }

    @Test
    void jdbcStyleSslTrue() {
        assertThat(ConnInfo.parse("postgresql://db1/app?ssl=true").params()).containsEntry("sslmode", "require");
    }

    @Test
    void uriErrors() {
        assertThatThrownBy(() -> ConnInfo.parse("postgresql://db1/app?sslmode")).hasMessageContaining("missing \"=\"");
        assertThatThrownBy(() -> ConnInfo.parse("postgresql://db1/app?a=b=c")).hasMessageContaining("extra \"=\"");
        assertThatThrownBy(() -> ConnInfo.parse("postgresql://db1/app?bogus=1"))
                .hasMessageContaining("invalid connection option \"bogus\"");
        assertThatThrownBy(() -> ConnInfo.parse("postgresql://[::1/app")).hasMessageContaining("\"]\"");
        assertThatThrownBy(() -> ConnInfo.parse("postgresql://[]/app")).hasMessageContaining("empty IPv6");
        assertThatThrownBy(() -> ConnInfo.parse("postgresql://[::1]x/app")).hasMessageContaining("unexpected character");
        assertThatThrownBy(() -> ConnInfo.parse("mysql://db1/app")).hasMessageContaining("unsupported URI scheme \"mysql\"");
    }

    @Test
    void badPercentEncodingDoesNotEchoThePassword() {
        assertThatThrownBy(() -> ConnInfo.parse("postgresql://u:secr%zzet@db1/app"))
                .isInstanceOfSatisfying(SteepReplException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.USAGE);
                    assertThat(e.getMessage()).contains("percent-encoded").doesNotContain("secr");
                });
        assertThatThrownBy(() -> ConnInfo.parse("postgresql://u:a%00b@db1")).hasMessageContaining("%00");
        assertThatThrownBy(() -> ConnInfo.parse("postgresql://db1/app%4")).hasMessageContaining("percent-encoded");
    }

    @Test
    void connectionStringOrName() {
        assertThat(ConnInfo.isConnectionString("host=x")).isTrue();
        assertThat(ConnInfo.isConnectionString("postgresql://x")).isTrue();
        assertThat(ConnInfo.isConnectionString("prod")).isFalse();
    }
}
