package io.steep.repl.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Precedence and defaults, in an environment built by the test (never the machine's own). */
class ConnectionResolverTest {
    @TempDir
    Path home;
    @TempDir
    Path sysconf;

    private final Map<String, String> vars = new HashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private Path socketDir;

    @BeforeEach
    void noSocketDir() {
        socketDir = null;
    }

    private ConnectionSpec resolve(String connection) {
        Environment env = new Environment(vars, home, "osuser", socketDir, sysconf);
        return new ConnectionResolver(env, warnings::add).resolve(connection);
    }

    private Path write(Path file, String text, String permissions) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }

    @Test
    void defaultsLikeLibpq() {
        ConnectionSpec spec = resolve(null);

        assertThat(spec.endpoints()).containsExactly(new Endpoint("localhost", null, 5432));
        assertThat(spec.user()).isEqualTo("osuser");
        assertThat(spec.dbname()).isEqualTo("osuser");
        assertThat(spec.password()).isNull();
        assertThat(spec.applicationName()).isEqualTo("steep-repl");
    }

    @Test
    void theSocketDirectoryIsTheDefaultHostWhenItExists() {
        socketDir = Path.of("/var/run/postgresql");

        ConnectionSpec spec = resolve("dbname=app");

        assertThat(spec.primary().host()).isEqualTo("/var/run/postgresql");
        assertThat(spec.isUnixSocket()).isTrue();
        assertThat(spec.primary().socketFile()).isEqualTo(Path.of("/var/run/postgresql/.s.PGSQL.5432"));
    }

    @Test
    void environmentFillsWhatIsNotExplicit() {
        vars.putAll(Map.of("PGHOST", "envhost", "PGPORT", "6000", "PGUSER", "envuser", "PGDATABASE", "envdb",
                "PGAPPNAME", "envapp", "PGSSLMODE", "require", "PGCONNECT_TIMEOUT", "7", "PGOPTIONS", "-c work_mem=64MB"));

        ConnectionSpec spec = resolve("host=explicit dbname=app");

        assertThat(spec.endpoints()).containsExactly(new Endpoint("explicit", null, 6000));
        assertThat(spec.user()).isEqualTo("envuser");
        assertThat(spec.dbname()).isEqualTo("app");
        assertThat(spec.applicationName()).isEqualTo("envapp");
        assertThat(spec.sslmode()).isEqualTo("require");
        assertThat(spec.connectTimeout()).isEqualTo(7);
        assertThat(spec.options()).isEqualTo("-c work_mem=64MB");
    }

    @Test
    void emptyEnvironmentValuesCountAsUnset() {
        vars.put("PGUSER", "");

        assertThat(resolve(null).user()).isEqualTo("osuser");
    }

    @Test
    void serviceSitsBetweenExplicitAndEnvironment() throws IOException {
        write(home.resolve(".pg_service.conf"), """
                # comment
                [other]
                host=wrong
                [prod]
                host = svc-host
                port=6001
                dbname=svcdb
                """, "rw-r--r--");
        vars.put("PGPORT", "7000");
        vars.put("PGUSER", "envuser");

        ConnectionSpec spec = resolve("service=prod dbname=mine");

        assertThat(spec.endpoints()).containsExactly(new Endpoint("svc-host", null, 6001));
        assertThat(spec.dbname()).isEqualTo("mine");
        assertThat(spec.user()).isEqualTo("envuser");
    }

    @Test
    void pgserviceSelectsAServiceFromPgservicefileThenTheSystemFile() throws IOException {
        Path userFile = write(home.resolve("services.conf"), "[a]\nhost=from-user-file\n", "rw-------");
        write(sysconf.resolve("pg_service.conf"), "[b]\nhost=from-system-file\n", "rw-r--r--");
        vars.put("PGSERVICEFILE", userFile.toString());

        vars.put("PGSERVICE", "a");
        assertThat(resolve(null).primary().host()).isEqualTo("from-user-file");
        vars.put("PGSERVICE", "b");
        assertThat(resolve(null).primary().host()).isEqualTo("from-system-file");
        vars.put("PGSYSCONFDIR", home.toString());
        assertThatThrownBy(() -> resolve(null)).isInstanceOfSatisfying(SteepReplException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.USAGE);
            assertThat(e.getMessage()).isEqualTo("definition of service \"b\" not found");
            assertThat(e.hint()).contains(userFile.toString()).contains(home.resolve("pg_service.conf").toString());
        });
    }

    @Test
    void aServiceCannotNameAnotherService() throws IOException {
        write(home.resolve(".pg_service.conf"), "[a]\nservice=b\n", "rw-------");

        assertThatThrownBy(() -> resolve("service=a")).hasMessageContaining("nested service");
    }

    @Test
    void passwordPrecedenceExplicitThenEnvironmentThenPgpass() throws IOException {
        write(home.resolve(".pgpass"), "*:*:*:*:from-pgpass\n", "rw-------");

        assertThat(resolve("password=explicit").password()).isEqualTo("explicit");
        assertThat(resolve(null).password()).isEqualTo("from-pgpass");
        assertThat(resolve(null).passwordSource()).isEqualTo(home.resolve(".pgpass").toString());
        vars.put("PGPASSWORD", "from-env");
        assertThat(resolve(null).password()).isEqualTo("from-env");
        assertThat(resolve(null).passwordSource()).isEqualTo("PGPASSWORD");
    }

    @Test
    void pgpassMatchingRules() throws IOException {
        write(home.resolve(".pgpass"), String.join("\n",
                "# comment line",
                "otherhost:*:*:*:nope",
                "db1:5433:*:*:port-specific",
                "db1:*:app:osuser:it\\:s\\\\ok:trailing",
                "localhost:5432:*:*:local",
                "fe80\\:\\:1:*:*:*:ipv6",
                ""), "rw-------");

        assertThat(resolve("host=db1 port=5433").password()).isEqualTo("port-specific");
        assertThat(resolve("host=db1 dbname=app").password()).isEqualTo("it:s\\ok");
        assertThat(resolve("host=db1 dbname=other").password()).isNull();
        assertThat(resolve("host=fe80::1").password()).isEqualTo("ipv6");
        assertThat(resolve(null).password()).isEqualTo("local");
        assertThat(resolve("host=/var/run/postgresql").password()).isEqualTo("local");
        assertThat(resolve("host=/tmp/other-socket").password()).isNull();
    }

    @Test
    void aPgpassFileOthersCanReadIsIgnoredWithAWarning() throws IOException {
        Path pgpass = write(home.resolve(".pgpass"), "*:*:*:*:secret\n", "rw-r--r--");

        assertThat(resolve(null).password()).isNull();
        assertThat(warnings).singleElement().asString()
                .contains(pgpass.toString()).contains("group or world access").contains("0600");
    }

    @Test
    void passfileKeywordAndVariable() throws IOException {
        Path custom = write(home.resolve("custom-pgpass"), "*:*:*:*:custom\n", "rw-------");

        assertThat(resolve("passfile=" + custom).password()).isEqualTo("custom");
        vars.put("PGPASSFILE", custom.toString());
        assertThat(resolve(null).password()).isEqualTo("custom");
    }

    @Test
    void namedConnectionsFromTheConfiguredFile() throws IOException {
        Path file = write(home.resolve("conns.conf"), "[prod]\nhost=prod-db\ndbname=app\nuser=steep\n", "rw-------");
        vars.put("STEEP_REPL_CONNECTIONS", file.toString());

        ConnectionSpec spec = resolve("prod");

        assertThat(spec.endpoints()).containsExactly(new Endpoint("prod-db", null, 5432));
        assertThat(spec.user()).isEqualTo("steep");
        assertThat(spec.name()).isEqualTo("prod");
        assertThat(warnings).isEmpty();
    }

    @Test
    void namedConnectionsDefaultFileAndServices() throws IOException {
        write(home.resolve(".config/steep-repl/connections.conf"), "[staging]\nservice=stg\nport=6543\n", "rw-------");
        write(home.resolve(".pg_service.conf"), "[stg]\nhost=stg-db\nport=1111\n", "rw-------");

        ConnectionSpec spec = resolve("staging");

        assertThat(spec.endpoints()).containsExactly(new Endpoint("stg-db", null, 6543));
    }

    @Test
    void anUnknownNameListsTheFileAndItsSections() throws IOException {
        Path file = write(home.resolve(".config/steep-repl/connections.conf"), "[prod]\nhost=x\n[dev]\nhost=y\n",
                "rw-------");

        assertThatThrownBy(() -> resolve("stage")).isInstanceOfSatisfying(SteepReplException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.USAGE);
            assertThat(e.getMessage()).isEqualTo("unknown connection name \"stage\"");
            assertThat(e.hint()).contains(file.toString()).contains("prod, dev").contains("STEEP_REPL_CONNECTIONS");
        });
        Files.delete(file);
        assertThatThrownBy(() -> resolve("stage")).isInstanceOfSatisfying(SteepReplException.class,
                e -> assertThat(e.hint()).contains(file + " (the file does not exist)"));
    }

    @Test
    void aNamedConnectionWithAPasswordInAReadableFileWarns() throws IOException {
        Path file = write(home.resolve("c.conf"), "[p]\nhost=x\npassword=pw\n", "rw-r--r--");
        vars.put("STEEP_REPL_CONNECTIONS", file.toString());

        assertThat(resolve("p").password()).isEqualTo("pw");
        assertThat(warnings).singleElement().asString().contains("chmod 600").doesNotContain("pw\"");
    }

    @Test
    void syntaxErrorsInSectionFilesNameTheLine() throws IOException {
        Path file = write(home.resolve("c.conf"), "[p]\nhost=x\njunk\n", "rw-------");
        vars.put("STEEP_REPL_CONNECTIONS", file.toString());

        assertThatThrownBy(() -> resolve("p")).hasMessageContaining("line 3");
    }

    @Test
    void multipleHostsAndPorts() {
        ConnectionSpec spec = resolve("host=a,b,c port=1,2,3");
        assertThat(spec.endpoints()).containsExactly(new Endpoint("a", null, 1), new Endpoint("b", null, 2),
                new Endpoint("c", null, 3));
        assertThat(resolve("host=a,b port=7").endpoints()).extracting(Endpoint::port).containsExactly(7, 7);
        assertThatThrownBy(() -> resolve("host=a,b,c port=1,2")).hasMessageContaining("3 hosts");
        assertThatThrownBy(() -> resolve("host=/tmp,b")).hasMessageContaining("Unix socket");
    }

    @Test
    void hostaddrIsTheAddressToConnectTo() {
        ConnectionSpec spec = resolve("host=db1 hostaddr=10.0.0.5");

        assertThat(spec.primary().address()).isEqualTo("10.0.0.5");
        assertThat(spec.primary().describe()).isEqualTo("host \"db1\" (10.0.0.5), port 5432");
        assertThat(resolve("hostaddr=10.0.0.6").primary().host()).isNull();
    }

    @Test
    void invalidValues() {
        assertThatThrownBy(() -> resolve("port=70000")).hasMessage("invalid port number: \"70000\"");
        assertThatThrownBy(() -> resolve("port=abc")).hasMessageContaining("invalid port number");
        assertThatThrownBy(() -> resolve("sslmode=always")).hasMessageContaining("invalid sslmode value");
        assertThatThrownBy(() -> resolve("connect_timeout=-1")).hasMessageContaining("connect_timeout");
    }

    @Test
    void applicationNameFallback() {
        assertThat(resolve("fallback_application_name=tool").applicationName()).isEqualTo("tool");
        assertThat(resolve("fallback_application_name=tool application_name=mine").applicationName())
                .isEqualTo("mine");
    }
}
