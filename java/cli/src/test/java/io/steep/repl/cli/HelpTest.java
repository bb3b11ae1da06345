package io.steep.repl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.steep.repl.jdbc.Environment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class HelpTest {
    @TempDir
    Path home;

    @Test
    void rootHelpListsTheCommandsButNotTheWorker() {
        CliDriver.Result result = new CliDriver(home).run("--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).contains("Usage: steep-repl").contains("node").contains("health").contains("jobs")
                .contains("--connection=CONN").contains("Exit codes:").doesNotContainPattern("(?m)^ +worker ");
        assertThat(result.stderr()).isEmpty();
    }

    @Test
    void everyCommandExplainsItselfWithAnExample() {
        List<String> checked = new ArrayList<>();
        for (CommandLine command : visibleCommands(SteepRepl.commandLine(new Environment(Map.of(), home,
                "u", null, home)))) {
            String[] path = command.getCommandSpec().qualifiedName(" ").replaceFirst("^steep-repl ?", "").split(" ");
            List<String> args = new ArrayList<>(path[0].isEmpty() ? List.of() : List.of(path));
            args.add("--help");

            CliDriver.Result result = new CliDriver(home).run(args.toArray(String[]::new));

            assertThat(result.exitCode()).as(String.join(" ", args)).isZero();
            assertThat(result.stdout()).as(String.join(" ", args))
                    .contains("Usage: " + command.getCommandSpec().qualifiedName())
                    .containsPattern("Examples?:\\n  steep-repl ")
                    .contains("--json").contains("--connection");
            checked.add(command.getCommandSpec().qualifiedName());
        }
        assertThat(checked).contains("steep-repl node register", "steep-repl jobs submit", "steep-repl health");
    }

    @Test
    void helpLinesFitAnEightyColumnTerminal() {
        for (CommandLine command : visibleCommands(SteepRepl.commandLine(new Environment(Map.of(), home,
                "u", null, home)))) {
            assertThat(command.getUsageMessage().lines()).as(command.getCommandSpec().qualifiedName())
                    .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
        }
    }

    @Test
    void versionComesFromTheBuild() {
        CliDriver.Result result = new CliDriver(home).run("--version");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout().strip()).isEqualTo("steep-repl " + System.getProperty("steep.expected.version"));
    }

    /** --help must not pay for the JDBC driver or Jackson; a fresh JVM shows what it loads. */
    @Test
    void helpLoadsNeitherJdbcNorJson() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-verbose:class", "-cp",
                System.getProperty("java.class.path"), SteepRepl.class.getName(), "--help")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).isZero();
        assertThat(output).contains("io.steep.repl.cli.SteepRepl").contains("Usage: steep-repl")
                .doesNotContain("org.postgresql.").doesNotContain("com.fasterxml.").doesNotContain("org.newsclub.");
    }

    private static List<CommandLine> visibleCommands(CommandLine root) {
        List<CommandLine> all = new ArrayList<>();
        all.add(root);
        for (CommandLine sub : root.getSubcommands().values()) {
            if (!sub.getCommandSpec().usageMessage().hidden()) {
                all.addAll(visibleCommands(sub));
            }
        }
        return all;
    }
}
