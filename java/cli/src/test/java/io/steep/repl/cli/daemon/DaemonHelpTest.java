package io.steep.repl.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.steep.repl.cli.SteepRepl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The daemon's commands explain themselves without loading gRPC, Jackson, JDBC or BouncyCastle. */
class DaemonHelpTest {

    @Test
    void helpOfTheRootAndOfEveryDaemonCommandLoadsNoneOfTheDaemonsLibraries() throws IOException, InterruptedException {
        for (List<String> command : List.<List<String>>of(List.of(), List.of("daemon"), List.of("daemon", "run"), List.of("daemon", "status"),
                List.of("daemon", "tls", "init"))) {
            String output = helpInAFreshJvm(command);

            assertThat(output).as(command.toString()).contains("Usage: steep-repl " + String.join(" ", command))
                    .doesNotContain("io.grpc.").doesNotContain("org.bouncycastle.").doesNotContain("com.fasterxml.")
                    .doesNotContain("org.postgresql.").doesNotContain("io.steep.repl.daemon.");
        }
    }

    private static String helpInAFreshJvm(List<String> command) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> args = new ArrayList<>(List.of(java.toString(), "-verbose:class", "-cp",
                System.getProperty("java.class.path"), SteepRepl.class.getName()));
        args.addAll(command);
        args.add("--help");
        Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
