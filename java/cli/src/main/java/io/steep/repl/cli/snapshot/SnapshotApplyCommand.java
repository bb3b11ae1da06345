package io.steep.repl.cli.snapshot;

import io.steep.repl.api.Backend;
import io.steep.repl.cli.ServerCommand;
import io.steep.repl.cli.output.Output;
import io.steep.repl.snapshot.SnapshotOperations;
import java.sql.SQLException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code steep-repl snapshot apply}: loads a snapshot directory into the connected database. */
@Command(name = "apply",
        description = {"Load a snapshot directory on the server into the connected database, as a background "
                + "job, and show its progress until it ends. Every file is verified before anything changes.",
                "Exit 0 when complete, 1 when failed, 4 when cancelled. Ctrl-C stops watching, not the job."},
        footerHeading = "%nExamples:%n",
        footer = {"  steep-repl snapshot apply node-b --input /srv/snap/shop -c \"host=db2 dbname=shop\"",
                "  steep-repl snapshot apply node-b --input /srv/snap/shop --replace --parallel 2"})
public final class SnapshotApplyCommand extends ServerCommand {

    @Mixin
    StartOptions start;

    @Parameters(index = "0", paramLabel = "NODE-ID", description = "The node being loaded.")
    String nodeId;

    @Option(names = "--input", paramLabel = "PATH", required = true,
            description = "Snapshot directory on the database server (absolute path).")
    String input;

    @Option(names = "--no-verify", description = "Skip checking the files against the manifest first.")
    boolean noVerify;

    @Option(names = "--replace",
            description = "Empty the snapshot's tables that already hold rows (TRUNCATE, never CASCADE) before loading.")
    boolean replace;

    @Override
    protected void validate() {
        start.check(this::usage);
    }

    @Override
    protected boolean needsWorker() {
        return true;
    }

    @Override
    protected int run(Backend backend, Output out) throws SQLException {
        return start.run(backend, out, SnapshotOperations.APPLY, new SnapshotOperations.ApplyRequest(nodeId, input,
                start.parallel, !noVerify, replace, start.detach));
    }
}
