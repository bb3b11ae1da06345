package io.steep.repl.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ConnectionFactoryTest {

    private static ConnectionSpec spec(List<Endpoint> endpoints, String password, String sslmode) {
        return new ConnectionSpec(endpoints, "my db", "steep", password, null, sslmode, "/ca.crt", "/c.crt", "/c.pk8",
                null, "steep-repl", 9, "-c work_mem=64MB", null);
    }

    @Test
    void unixSocketsGoThroughJunixsocketWithoutSsl() {
        ConnectionSpec socket = spec(List.of(new Endpoint("/run/pg", null, 5433)), null, "require");

        Properties props = ConnectionFactory.properties(socket);

        assertThat(ConnectionFactory.url(socket)).isEqualTo("jdbc:postgresql://localhost:5433/my+db");
        assertThat(props.getProperty("socketFactory")).isEqualTo("org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg");
        assertThat(props.getProperty("socketFactoryArg")).isEqualTo("/run/pg/.s.PGSQL.5433");
        assertThat(props.getProperty("sslmode")).isEqualTo("disable");
        assertThat(props.getProperty("sslrootcert")).isNull();
        assertThat(props.getProperty("password")).isNull();
    }

    @Test
    void tcpCarriesTheLibpqSettings() {
        ConnectionSpec tcp = spec(List.of(new Endpoint("db1", null, 5432), new Endpoint("db2", "::1", 5433)), "pw",
                "verify-full");

        Properties props = ConnectionFactory.properties(tcp);

        assertThat(ConnectionFactory.url(tcp)).isEqualTo("jdbc:postgresql://db1:5432,[::1]:5433/my+db");
        assertThat(props.getProperty("socketFactory")).isNull();
        assertThat(props.getProperty("user")).isEqualTo("steep");
        assertThat(props.getProperty("password")).isEqualTo("pw");
        assertThat(props.getProperty("sslmode")).isEqualTo("verify-full");
        assertThat(props.getProperty("sslrootcert")).isEqualTo("/ca.crt");
        assertThat(props.getProperty("sslcert")).isEqualTo("/c.crt");
        assertThat(props.getProperty("sslkey")).isEqualTo("/c.pk8");
        assertThat(props.getProperty("ApplicationName")).isEqualTo("steep-repl");
        assertThat(props.getProperty("connectTimeout")).isEqualTo("9");
        assertThat(props.getProperty("options")).isEqualTo("-c work_mem=64MB");
        assertThat(ConnectionFactory.url(tcp)).doesNotContain("pw");
    }

    @Test
    void theDriverDefaultSslmodeApplies() {
        ConnectionSpec tcp = spec(List.of(new Endpoint("db1", null, 5432)), null, null);

        assertThat(ConnectionFactory.properties(tcp).getProperty("sslmode")).isNull();
    }
}
