package io.steep.repl.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import io.steep.repl.jdbc.Environment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
    private static final String PASSWORD = "pw-Never-Shown-42";
    private static final String TOKEN = "tok-0123456789abcdef-Never-Shown";

    @TempDir
    Path dir;
    private final Map<String, String> variables = new HashMap<>();
    private final List<String> warnings = new ArrayList<>();

    private DaemonConfig load(String yaml, Map<ConfigKey, ConfigLoader.Flag> flags) throws IOException {
        Path file = dir.resolve("daemon.yaml");
        Files.writeString(file, yaml);
        return loader().load(file, flags);
    }

    private DaemonConfig load(String yaml) throws IOException {
        return load(yaml, Map.of());
    }

    private ConfigLoader loader() {
        return new ConfigLoader(new Environment(variables, dir, "me", null, dir.resolve("etc")), warnings::add);
    }

    private SteepReplException refused(String yaml) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> load(yaml));
        assertThat(thrown).isInstanceOf(SteepReplException.class);
        SteepReplException failure = (SteepReplException) thrown;
        assertThat(failure.code()).isEqualTo(ErrorCode.USAGE);
        return failure;
    }

    @Test
    void withoutFileOrVariablesEverythingHasItsDefault() {
        DaemonConfig config = loader().load(null, Map.of());

        assertThat(config.listen()).isEqualTo(new ListenAddress("127.0.0.1", 15460));
        assertThat(config.http()).isEqualTo(new ListenAddress("127.0.0.1", 15461));
        assertThat(config.tls()).isNull();
        assertThat(config.insecure()).isFalse();
        assertThat(config.token()).isNull();
        assertThat(config.socket()).isEqualTo(Path.of("/run/steep-repl/daemon.sock"));
        assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.postgres().user()).isEqualTo("me");
    }

    @Test
    void theSocketDefaultsToTheRuntimeDirectoryWhenThereIsOne() {
        variables.put("XDG_RUNTIME_DIR", "/run/user/1000");

        assertThat(loader().load(null, Map.of()).socket()).isEqualTo(Path.of("/run/user/1000/steep-repl/daemon.sock"));
    }

    @Test
    void anEmptyFileMeansEveryDefault() throws IOException {
        assertThat(load("").listen().port()).isEqualTo(DaemonDefaults.GRPC_PORT);
    }

    @Test
    void everyKeyIsRead() throws IOException {
        Path cert = Files.writeString(dir.resolve("server.crt"), "x");
        Files.writeString(dir.resolve("server.key"), "x");
        Files.writeString(dir.resolve("ca.crt"), "x");
        Files.writeString(dir.resolve("token"), TOKEN + "\n");
        DaemonConfig config = load("""
                listen:
                  address: 0.0.0.0
                  port: 5000
                tls:
                  cert: server.crt
                  key: %s/server.key
                  client_ca: ca.crt
                insecure: false
                token_file: token
                http:
                  enabled: true
                  address: "::1"
                  port: 5001
                socket: /tmp/d.sock
                postgres:
                  connection: "host=db1 port=5433 dbname=app user=steep"
                  password: %s
                shutdown_grace: 1500ms
                """.formatted(dir, PASSWORD));

        assertThat(config.listen()).isEqualTo(new ListenAddress("0.0.0.0", 5000));
        assertThat(config.tls()).isEqualTo(new TlsFiles(cert, dir.resolve("server.key"), dir.resolve("ca.crt")));
        assertThat(config.token()).isEqualTo(TOKEN);
        assertThat(config.http()).isEqualTo(new ListenAddress("::1", 5001));
        assertThat(config.http().toString()).isEqualTo("[::1]:5001");
        assertThat(config.socket()).isEqualTo(Path.of("/tmp/d.sock"));
        assertThat(config.postgres().primary().host()).isEqualTo("db1");
        assertThat(config.postgres().primary().port()).isEqualTo(5433);
        assertThat(config.postgres().password()).isEqualTo(PASSWORD);
        assertThat(config.shutdownGrace()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void httpCanBeDisabled() throws IOException {
        assertThat(load("http:\n  enabled: false\n").http()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "listen:\\n  prot: 1                 | listen.prot: unknown key (known in listen: address, port)",
        "lisen:\\n  port: 1                  | lisen: unknown key (known at the top level: listen,",
        "listen: 5                           | listen: must be a mapping with the keys address, port",
        "listen:\\n  port: 70000             | listen.port: must be between 1 and 65535",
        "listen:\\n  port: 0                 | listen.port: must be between 1 and 65535",
        "listen:\\n  port: '15460'           | listen.port: must be a whole number between 1 and 65535",
        "listen:\\n  address: ''             | listen.address: must not be empty",
        "listen:\\n  address: 0.0.0.0        | listen.address: 0.0.0.0 is not a loopback address",
        "http:\\n  port: 15460               | http.port: the HTTP endpoints cannot share 127.0.0.1:15460 with gRPC",
        "http:\\n  enabled: yes please       | http.enabled: must be true or false",
        "insecure: 1                         | insecure: must be true or false",
        "shutdown_grace: 2d                  | shutdown_grace: must be a duration between 0s and 1h",
        "shutdown_grace: 2h                  | shutdown_grace: must be a duration between 0s and 1h",
        "shutdown_grace: [1]                 | shutdown_grace: must be a duration such as 10s",
        "tls:\\n  cert: /nonexistent/c.crt\\n  key: /nonexistent/c.key | tls.cert: file /nonexistent/c.crt does not exist",
        "tls:\\n  cert: /etc/hostname        | tls.key: required when tls.cert is set",
        "tls:\\n  client_ca: /etc/hostname   | tls.client_ca: client certificates need TLS",
        "token: short                        | token: the token must have at least 16 characters",
        "token: 'with space 0123456789abc'   | token: the token may hold only printable ASCII characters",
        "token: 12345678901234567890         | token: must be a string",
        "token: 0123456789abcdef0\\ntoken_file: /etc/hostname | token_file: give token or token_file, not both",
        "token_file: /nonexistent/token      | token_file: file /nonexistent/token does not exist",
        "socket: ''                          | socket: must not be empty",
        "postgres:\\n  connection: 'sslmode=bogus' | postgres.connection: invalid sslmode value",
        "postgres:\\n  connection: 'no-such-name'  | postgres.connection: ",
        "postgres:\\n  conection: x          | postgres.conection: unknown key (known in postgres: connection, password)",
        "listen:\\n  port: 1\\n  port: 2     | is not valid YAML: Duplicate field 'port'",
        "listen: [a\\n                       | is not valid YAML: ",
        "- a\\n- b                           | must be a mapping of keys (listen, tls, insecure, token, token_file, http, socket, postgres, shutdown_grace)",
    })
    void aBadConfigIsRefusedWithAMessageThatNamesTheKey(String yaml, String message) {
        SteepReplException failure = refused(yaml.replace("\\n", "\n"));

        assertThat(failure.getMessage()).contains(message.strip());
        assertThat(failure.hint()).isNotBlank();
    }

    @Test
    void aMissingConfigFileIsAUsageError() {
        assertThatThrownBy(() -> loader().load(dir.resolve("nope.yaml"), Map.of()))
                .isInstanceOf(SteepReplException.class).hasMessageContaining("nope.yaml does not exist")
                .extracting(e -> ((SteepReplException) e).code()).isEqualTo(ErrorCode.USAGE);
    }

    @Test
    void variablesWinOverTheFileAndFlagsOverBoth() throws IOException {
        variables.put("STEEP_REPL_DAEMON_LISTEN_PORT", "6000");
        variables.put("STEEP_REPL_DAEMON_LISTEN_ADDRESS", "0.0.0.0");
        variables.put("STEEP_REPL_DAEMON_INSECURE", "false");
        variables.put("STEEP_REPL_DAEMON_SHUTDOWN_GRACE", "3");
        variables.put("STEEP_REPL_DAEMON_HTTP_ENABLED", "false");
        variables.put("STEEP_REPL_DAEMON_TOKEN", TOKEN);

        DaemonConfig config = load("listen:\n  port: 5000\nshutdown_grace: 20s\n",
                Map.of(ConfigKey.INSECURE, new ConfigLoader.Flag("--insecure", "true")));

        assertThat(config.listen()).isEqualTo(new ListenAddress("0.0.0.0", 6000));
        assertThat(config.insecure()).isTrue();
        assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.http()).isNull();
        assertThat(config.token()).isEqualTo(TOKEN);
    }

    @Test
    void aBadVariableNamesTheKeyAndTheVariable() {
        variables.put("STEEP_REPL_DAEMON_HTTP_PORT", "http");

        assertThatThrownBy(() -> load("")).hasMessage(
                "http.port (from STEEP_REPL_DAEMON_HTTP_PORT): must be between 1 and 65535");
    }

    @Test
    void anUnknownDaemonVariableIsAnError() {
        variables.put("STEEP_REPL_DAEMON_LISTEN_PROT", "1");

        assertThatThrownBy(() -> load("")).hasMessage("STEEP_REPL_DAEMON_LISTEN_PROT: unknown variable")
                .extracting(e -> ((SteepReplException) e).hint()).asString().contains("STEEP_REPL_DAEMON_LISTEN_PORT");
    }

    @Test
    void plaintextOnLoopbackNamesIsAllowedWithoutInsecure() throws IOException {
        assertThat(load("listen:\n  address: localhost\n").listen().host()).isEqualTo("localhost");
        assertThat(load("listen:\n  address: '[::1]'\n").listen().host()).isEqualTo("::1");
    }

    @Test
    void plaintextOnAnotherAddressNeedsInsecureInTheFileOrOnTheCommandLine() throws IOException {
        assertThat(load("listen:\n  address: 0.0.0.0\ninsecure: true\n").insecure()).isTrue();
        assertThat(load("listen:\n  address: 0.0.0.0\n",
                Map.of(ConfigKey.INSECURE, new ConfigLoader.Flag("--insecure", "true"))).insecure()).isTrue();
    }

    @Test
    void thePasswordAndTheTokenAreInNoRenderingAndNoError() throws IOException {
        DaemonConfig config = load("token: " + TOKEN + "\npostgres:\n  connection: host=db1\n  password: " + PASSWORD + "\n");
        assertThat(config.toString()).doesNotContain(PASSWORD).doesNotContain(TOKEN).contains("password=********")
                .contains("token=********");

        List<String> badFiles = List.of(
                "postgres:\n  password: " + PASSWORD + "\nlisten:\n  port: 99999\n",
                "postgres:\n  password: " + PASSWORD + "\n  connection: 'host=db1 password=" + PASSWORD + "'\n",
                "postgres:\n  connection: 'host=db1 password=" + PASSWORD + " sslmode=bogus'\n",
                "postgres:\n  password: " + PASSWORD + " : [\n",
                "postgres:\n  password: [" + PASSWORD + "]\n",
                "token: '" + TOKEN + " x'\n");
        for (String yaml : badFiles) {
            SteepReplException failure = refused(yaml);
            assertThat(failure.getMessage() + failure.hint()).as(yaml).doesNotContain(PASSWORD).doesNotContain(TOKEN);
        }
    }

    @Test
    void aPasswordInTheConnectionStringIsKeptWhenTheConfigHasNone() throws IOException {
        DaemonConfig config = load("postgres:\n  connection: 'host=db1 password=" + PASSWORD + "'\n");

        assertThat(config.postgres().password()).isEqualTo(PASSWORD);
        assertThat(config.toString()).doesNotContain(PASSWORD);
    }

    @Test
    void postgresPasswordWinsOverPgpassword() throws IOException {
        variables.put("PGPASSWORD", "from-the-environment");

        assertThat(load("postgres:\n  password: " + PASSWORD + "\n").postgres().password()).isEqualTo(PASSWORD);
        assertThat(load("").postgres().password()).isEqualTo("from-the-environment");
    }
}
