package io.steep.repl.cli;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import io.steep.repl.cli.output.Output;
import io.steep.repl.jdbc.ConnectionFactory;
import io.steep.repl.jdbc.ConnectionResolver;
import io.steep.repl.jdbc.ConnectionSpec;
import io.steep.repl.jdbc.SqlErrors;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A command that runs against PostgreSQL in direct mode: checks the mode options and its own
 * arguments, resolves and opens the connection, runs, and closes the connection.
 */
@Command
public abstract class DirectCommand implements Callable<Integer> {
    @Spec
    protected CommandSpec spec;
    private ConnectionSpec target;

    @Override
    public final Integer call() {
        SteepRepl root = SteepRepl.of(spec);
        checkMode(root);
        validate();
        Output output = root.output(spec.commandLine());
        target = new ConnectionResolver(root.environment(), output::warning).resolve(root.connection());
        output.verbose("connecting to " + target);
        try (Connection connection = ConnectionFactory.open(target)) {
            return run(connection, output);
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
    }

    /** Checks arguments that picocli cannot; throw {@link #usage(String)} before anything connects. */
    protected void validate() {
    }

    /** Does the work; returns the exit code. */
    protected abstract int run(Connection connection, Output output) throws SQLException;

    /** Where the -c connection goes (set once the command runs). */
    protected ConnectionSpec target() {
        return target;
    }

    /** A usage error unless {@code value} of {@code option} (e.g. --limit) is at least 1. */
    protected void requirePositive(String option, int value) {
        if (value < 1) {
            throw usage("invalid value for option '" + option + "': " + value + " (must be at least 1)");
        }
    }

    protected ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private void checkMode(SteepRepl root) {
        if (root.remoteRequested() && root.directRequested()) {
            throw usage("--direct and --remote are mutually exclusive");
        }
        if (root.remoteRequested()) {
            throw new SteepReplException(ErrorCode.USAGE, "daemon mode (--remote) is not available in this version",
                    "Use --direct (the default) with -c CONN to run the command against PostgreSQL directly.");
        }
    }
}
