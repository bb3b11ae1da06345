package io.steep.repl.cli;

import io.steep.repl.jdbc.Environment;
import io.steep.repl.testkit.PgCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * Runs {@code steep-repl} in-process with captured stdout and stderr, in an environment the
 * test controls, so the machine's PG* variables and home directory never leak into a test.
 */
public final class CliDriver {
    private final Map<String, String> variables = new HashMap<>();
    private final Path home;

    /** A driver whose home directory is {@code home} and whose environment is empty. */
    public CliDriver(Path home) {
        this.home = home;
    }

    /** Sets an environment variable for later runs. */
    public CliDriver env(String name, String value) {
        variables.put(name, value);
        return this;
    }

    public Result run(String... args) {
        Environment environment = new Environment(variables, home, System.getProperty("user.name"), null,
                home.resolve("etc"));
        CommandLine commandLine = SteepRepl.commandLine(environment);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    /** Runs a command on {@code cluster}'s postgres database as its superuser ({@code -c} added). */
    public Result runOn(PgCluster cluster, String... args) {
        String[] all = Arrays.copyOf(args, args.length + 2);
        all[args.length] = "-c";
        all[args.length + 1] = cluster.conninfo("postgres", PgCluster.SUPERUSER);
        return run(all);
    }

    /** What one run printed and returned. */
    public record Result(int exitCode, String stdout, String stderr) {
        public String output() {
            return stdout + stderr;
        }
    }
}
