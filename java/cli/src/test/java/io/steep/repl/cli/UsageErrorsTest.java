package io.steep.repl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Command lines that must fail with exit code 2 before anything connects anywhere. */
class UsageErrorsTest {
    @TempDir
    Path home;

    private CliDriver.Result run(String commandLine) {
        return new CliDriver(home).run(commandLine.isEmpty() ? new String[0] : commandLine.split(" "));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "                                         | Missing required subcommand              | steep-repl",
        "node                                     | Missing required subcommand              | steep-repl node",
        "node status --bogus                      | Unknown option: '--bogus'                | steep-repl node status",
        "node register n1 --host h                | Missing required option: '--name=NAME'   | steep-repl node register",
        "node register n1 --name a --host h --port x | '--port': 'x' is not an int         | steep-repl node register",
        "node heartbeat                           | Missing required parameter: 'NODE-ID'    | steep-repl node heartbeat",
        "node heartbeat a b                       | Unmatched argument                       | steep-repl node heartbeat",
        "jobs show abc                            | 'abc' is not a long                      | steep-repl jobs show",
        "jobs list --status done                  | '--status': 'done'                       | steep-repl jobs list",
        "jobs list --limit 0                      | '--limit': 0                             | steep-repl jobs list",
        "jobs submit ping --timeout 5s            | --timeout needs --wait                   | steep-repl jobs submit",
        "jobs submit ping --wait --timeout soon   | invalid duration 'soon'                  | steep-repl jobs submit",
        "jobs submit ping --params [1]            | expected a JSON object                   | steep-repl jobs submit",
        "jobs submit ping --params {oops          | '--params'                               | steep-repl jobs submit",
        "health --direct --remote db1:15460       | mutually exclusive                       | steep-repl health",
        "overlap a --tables t                     | give two nodes                           | steep-repl overlap",
        "overlap a b c --tables t                 | Unmatched argument                       | steep-repl overlap",
        "overlap a b                              | give the tables                          | steep-repl overlap",
        "overlap a b --tables t --limit 5         | --limit needs --detail                   | steep-repl overlap",
        "overlap a b --tables t --key-columns t   | --key-columns takes TABLE=COL[,COL...]   | steep-repl overlap",
        "overlap a b --tables t --key-columns t=a,| names an empty column                    | steep-repl overlap",
        "overlap a b --tables t --key-columns t=a --key-columns t=b | names t more than once | steep-repl overlap",
        "merge a --tables t --strategy manual     | give two nodes                           | steep-repl merge",
        "merge a b --strategy manual              | give the tables                          | steep-repl merge",
        "merge a b --tables t                     | give the strategy: --strategy            | steep-repl merge",
        "merge a b --tables t --strategy manual --strategy-for t | --strategy-for takes TABLE=STRATEGY | steep-repl merge",
        "merge a b --tables t --strategy manual --last-modified-column =c | takes TABLE=COLUMN | steep-repl merge",
        "merge conflicts                          | Missing required parameter: 'ID'         | steep-repl merge conflicts",
        "merge conflicts m --limit 0              | '--limit': 0                             | steep-repl merge conflicts",
        "merge status --limit 0                   | '--limit': 0                             | steep-repl merge status",
        "merge cancel                             | Missing required parameter: 'ID'         | steep-repl merge cancel",
        "health --verbose --verbose               | should be specified only once            | steep-repl health"})
    void usageErrorsShowTheProblemTheSynopsisAndWhereToLook(String args, String message, String command) {
        CliDriver.Result result = run(args == null ? "" : args.strip());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).startsWith("error: ").contains(message)
                .contains("Usage: " + command).contains("See '" + command + " --help'.")
                .doesNotContain("\tat ");
    }

    @Test
    void aMisspeltCommandGetsASuggestion() {
        CliDriver.Result result = run("node stauts");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("Did you mean").contains("status");
    }

    @Test
    void aMalformedDaemonAddressIsAUsageError() {
        for (String address : new String[] {"db1:port", "db1:0", "db1:65536", ":15460", "::1:15460"}) {
            CliDriver.Result result = run("node status --remote " + address);

            assertThat(result.exitCode()).as(address).isEqualTo(2);
            assertThat(result.stderr()).as(address).startsWith("error: invalid daemon address '" + address + "'\n")
                    .contains("hint: Give HOST:PORT");
        }
    }

    @Test
    void directAndRemoteTogetherAreAUsageError() {
        CliDriver.Result result = run("node status --direct --remote localhost:15460");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).startsWith("error: --direct and --remote are mutually exclusive");
    }

    @Test
    void noDaemonAtTheAddressIsAConnectionError() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        CliDriver.Result result = run("node status --remote 127.0.0.1:" + port);

        assertThat(result.exitCode()).isEqualTo(6);
        assertThat(result.stderr()).startsWith("error: cannot reach the steep-repl daemon at 127.0.0.1:" + port)
                .contains("hint: Check the address");
    }

    @Test
    void withJsonAUsageErrorIsAJsonDocumentOnStdout() throws Exception {
        CliDriver.Result result = run("node status --json --bogus");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).isEmpty();
        JsonNode error = new ObjectMapper().readTree(result.stdout()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("usage");
        assertThat(error.get("exit_code").asInt()).isEqualTo(2);
        assertThat(error.get("message").asText()).contains("--bogus");
        assertThat(error.get("hint").asText()).isEqualTo("See 'steep-repl node status --help'.");
        assertThat(error.get("sqlstate").isNull()).isTrue();
    }

    @Test
    void aMalformedConnectionStringShowsBothFormsAndNoSecret() {
        CliDriver.Result result = new CliDriver(home).run("health", "-c", "host=db1 password=abc123 def456");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).startsWith("error: invalid connection string: missing \"=\"")
                .contains("hint: Use key=value pairs").contains("postgresql://")
                .doesNotContain("abc123").doesNotContain("def456");
    }

    @Test
    void anUnknownConnectionNameNamesTheFileSearched() {
        CliDriver.Result result = new CliDriver(home).run("health", "-c", "prod");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("error: unknown connection name \"prod\"")
                .contains(home.resolve(".config/steep-repl/connections.conf").toString());
    }

    @Test
    void stackTracesOnlyWithVerbose() {
        CliDriver.Result quiet = new CliDriver(home).run("health", "-c", "port=0");
        CliDriver.Result verbose = new CliDriver(home).run("health", "--verbose", "-c", "port=0");

        assertThat(quiet.exitCode()).isEqualTo(2);
        assertThat(quiet.stderr()).contains("invalid port number").doesNotContain("\tat ");
        assertThat(verbose.exitCode()).isEqualTo(2);
        assertThat(verbose.stderr()).contains("\tat io.steep.repl.");
    }
}
