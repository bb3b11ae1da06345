package io.steep.repl.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** No rendering of a connection, and no scrubbed text, may contain the password. */
class RedactionTest {
    private static final String SECRET = "Zq9-s3cr3t";

    @Test
    void keywordFormMasksPasswordsAndQuotesValues() {
        ConnInfo info = ConnInfo.parse("host=db1 password='" + SECRET + "' dbname='my db' sslpassword=" + SECRET);

        assertThat(info.toString()).isEqualTo("host=db1 password=******** dbname='my db' sslpassword=********");
    }

    @Test
    void uriFormMasksThePasswordAndEncodes() {
        ConnInfo info = ConnInfo.parse("postgresql://steep:" + SECRET + "@[::1]:5433/my%20db?sslmode=require");

        assertThat(info.toString()).isEqualTo("postgresql://steep:********@[::1]:5433/my%20db?sslmode=require");
        assertThat(Redaction.uriForm(Map.of("host", "/tmp/s", "password", SECRET)))
                .isEqualTo("postgresql://:********@?host=%2Ftmp%2Fs");
    }

    @Test
    void namedFormShowsTheName() {
        ConnInfo info = new ConnInfo(Map.of("host", "x", "password", SECRET), ConnInfo.Form.NAMED, "prod");

        assertThat(info.toString()).startsWith("connection \"prod\" (").doesNotContain(SECRET).contains("********");
    }

    @Test
    void aResolvedSpecNeverShowsItsPassword() {
        ConnectionSpec spec = new ConnectionSpec(List.of(new Endpoint("db1", null, 5432), new Endpoint(null, "10.0.0.2", 5433)),
                "app", "steep", SECRET, "PGPASSWORD", "require", null, null, null, SECRET, "steep-repl", null, null, null);

        assertThat(spec.toString())
                .isEqualTo("host=db1, hostaddr=,10.0.0.2 port=5432,5433 dbname=app user=steep password=******** sslmode=require");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "could not connect with password=" + SECRET + " host=x",
        "could not connect with PASSWORD = '" + SECRET + " with spaces' host=x",
        "dsn 'host=x password=" + SECRET + "'",
        "url postgresql://steep:" + SECRET + "@db1/app failed",
        "url jdbc:postgresql://db1/app?user=steep&password=" + SECRET + "&ssl=true",
        "json {\"password\": \"" + SECRET + "\"}",
        "key sslpassword=" + SECRET,
        "weird postgresql://steep:" + SECRET + "@evil@db1/app"})
    void scrubRemovesSecretsFromFreeText(String text) {
        String scrubbed = Redaction.scrub(text);

        assertThat(scrubbed).doesNotContain(SECRET).doesNotContain("s3cr3t").contains(Redaction.MASK);
    }

    @Test
    void scrubLeavesOrdinaryTextAlone() {
        String text = "connection to server at \"db1\" (10.0.0.1), port 5432 failed: postgresql://steep@db1/app";

        assertThat(Redaction.scrub(text)).isEqualTo(text);
        assertThat(Redaction.scrub(null)).isNull();
    }

    @Test
    void endpointsDescribeThemselves() {
        assertThat(new Endpoint("/run/pg", null, 5433).describe()).isEqualTo("Unix socket \"/run/pg/.s.PGSQL.5433\"");
        assertThat(new Endpoint("db1", null, 5432).describe()).isEqualTo("host \"db1\", port 5432");
        assertThat(new Endpoint("/run/pg", null, 1).socketFile()).isEqualTo(Path.of("/run/pg/.s.PGSQL.1"));
    }
}
