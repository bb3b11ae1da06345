package io.steep.repl.cli;

import io.steep.repl.api.Backend;
import io.steep.repl.cli.output.Output;
import io.steep.repl.jdbc.SqlErrors;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A command whose work is on files of the machine that does it ({@code snapshot verify}): here,
 * without a database, unless --remote sends it to a daemon, which does the same work on its own
 * machine through an operation. Neither --direct nor the automatic choice connect anywhere.
 */
@Command
public abstract class LocalOrRemoteCommand implements Callable<Integer> {
    @Spec
    protected CommandSpec spec;

    @Override
    public final Integer call() {
        SteepRepl root = SteepRepl.of(spec);
        if (root.remoteRequested() && root.directRequested()) {
            throw new ParameterException(spec.commandLine(), "--direct and --remote are mutually exclusive");
        }
        Output output = root.output(spec.commandLine());
        if (!root.remoteRequested()) {
            return runHere(output);
        }
        try (BackendChoice.Opened opened = BackendChoice.open(root, output, false)) {
            return runRemote(opened.backend(), output);
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
    }

    /** Does the work in this process; returns the exit code. */
    protected abstract int runHere(Output output);

    /** Does the work through the daemon's operation; returns the exit code. */
    protected abstract int runRemote(Backend daemon, Output output) throws SQLException;
}
