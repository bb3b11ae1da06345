package io.steep.repl.cli;

import io.steep.repl.api.Backend;
import io.steep.repl.cli.output.Output;
import io.steep.repl.jdbc.SqlErrors;
import java.sql.SQLException;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A command that runs operations on a node: checks its own arguments, reaches the node directly
 * or through a daemon ({@link BackendChoice}), runs, and lets go of the backend. Commands call
 * operations through the {@link Backend} only, so both modes run the same code and print the
 * same output.
 */
@Command
public abstract class ServerCommand implements Callable<Integer> {
    @Spec
    protected CommandSpec spec;

    @Override
    public final Integer call() {
        SteepRepl root = SteepRepl.of(spec);
        if (root.remoteRequested() && root.directRequested()) {
            throw usage("--direct and --remote are mutually exclusive");
        }
        validate();
        Output output = root.output(spec.commandLine());
        if (!root.remoteRequested()) {
            OptionalInt here = runHere(output);
            if (here.isPresent()) {
                return here.getAsInt();
            }
        }
        try (BackendChoice.Opened opened = BackendChoice.open(root, output, needsWorker())) {
            return run(opened.backend(), output);
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
    }

    /** Checks arguments that picocli cannot; throw {@link #usage(String)} before anything connects. */
    protected void validate() {
    }

    /**
     * The work of a command that needs no server unless --remote sends it to a daemon (snapshot
     * verify reads files where it runs); empty, the default, for commands that need one.
     */
    protected OptionalInt runHere(Output output) {
        return OptionalInt.empty();
    }

    /** Whether the command starts background jobs (then direct mode needs the server's worker). */
    protected boolean needsWorker() {
        return false;
    }

    /** Does the work; returns the exit code. */
    protected abstract int run(Backend backend, Output output) throws SQLException;

    /** A usage error unless {@code value} of {@code option} (e.g. --limit) is at least 1. */
    protected void requirePositive(String option, int value) {
        if (value < 1) {
            throw usage("invalid value for option '" + option + "': " + value + " (must be at least 1)");
        }
    }

    protected ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
