package io.steep.repl.cli.snapshot;

import io.steep.repl.ErrorCode;
import io.steep.repl.api.Backend;
import io.steep.repl.cli.ServerCommand;
import io.steep.repl.cli.output.Output;
import io.steep.repl.snapshot.SnapshotOperations;
import io.steep.repl.snapshot.verify.Verification;
import io.steep.repl.snapshot.verify.VerifyOutcome;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code steep-repl snapshot verify}: checks a snapshot directory against its manifest, offline
 * on this machine, or with --remote on the daemon's machine.
 */
@Command(name = "verify",
        description = {"Check a snapshot directory against its manifest without a database: every file present "
                + "with its recorded size and checksum (CRC-32C or SHA-256, as the manifest records for each file).",
                "Exit 0 when intact, 1 with the list of problems otherwise."},
        footerHeading = "%nExample:%n",
        footer = "  steep-repl snapshot verify /srv/snap/shop --rows")
public final class SnapshotVerifyCommand extends ServerCommand {

    @Parameters(index = "0", paramLabel = "PATH", description = "Snapshot directory.")
    Path directory;

    @Option(names = "--rows", description = "Also decompress every data file and count its rows.")
    boolean rows;

    @Override
    protected OptionalInt runHere(Output output) {
        return OptionalInt.of(show(output, Verification.here(directory.toString(), rows)));
    }

    @Override
    protected int run(Backend daemon, Output output) throws SQLException {
        return show(output, daemon.call(SnapshotOperations.VERIFY,
                new SnapshotOperations.VerifyRequest(directory.toString(), rows)));
    }

    private static int show(Output output, VerifyOutcome outcome) {
        if (output.isJson()) {
            output.json(outcome);
        } else {
            List<String> lines = new ArrayList<>();
            if (outcome.ok()) {
                lines.add("ok: " + outcome.directory() + " is snapshot " + outcome.snapshotId() + " ("
                        + outcome.filesChecked() + " files, " + SnapshotText.bytes(outcome.bytesChecked()) + " checked)");
            } else {
                lines.add("damaged: " + outcome.directory() + " has " + outcome.problems().size() + " problem(s)");
                outcome.problems().forEach(p -> lines.add("  " + p));
            }
            output.lines(lines);
        }
        return outcome.ok() ? ErrorCode.OK.exitCode() : ErrorCode.ERROR.exitCode();
    }
}
