package io.steep.repl.cli.snapshot;

import io.steep.repl.ErrorCode;
import io.steep.repl.cli.SteepRepl;
import io.steep.repl.cli.output.Output;
import io.steep.repl.snapshot.verify.SnapshotVerifier;
import io.steep.repl.snapshot.verify.VerifyProblem;
import io.steep.repl.snapshot.verify.VerifyReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code steep-repl snapshot verify}: checks a snapshot directory against its manifest, offline. */
@Command(name = "verify",
        description = {"Check a snapshot directory against its manifest without a database: every file present "
                + "with its recorded size and SHA-256.",
                "Exit 0 when intact, 1 with the list of problems otherwise."},
        footerHeading = "%nExample:%n",
        footer = "  steep-repl snapshot verify /srv/snap/shop --rows")
public final class SnapshotVerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PATH", description = "Snapshot directory.")
    Path directory;

    @Option(names = "--rows", description = "Also decompress every data file and count its rows.")
    boolean rows;

    @Override
    public Integer call() {
        Output output = SteepRepl.of(spec).output(spec.commandLine());
        VerifyReport report = new SnapshotVerifier(rows, Runtime.getRuntime().availableProcessors(), null)
                .check(directory);
        if (output.isJson()) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("directory", directory.toString());
            document.put("ok", report.ok());
            document.put("snapshot_id", report.manifest() == null ? null : report.manifest().snapshotId());
            document.put("files_checked", report.filesChecked());
            document.put("bytes_checked", report.bytesChecked());
            document.put("problems", report.problems().stream().map(VerifyProblem::describe).toList());
            output.json(document);
        } else {
            List<String> lines = new ArrayList<>();
            if (report.ok()) {
                lines.add("ok: " + directory + " is snapshot " + report.manifest().snapshotId() + " ("
                        + report.filesChecked() + " files, " + SnapshotText.bytes(report.bytesChecked()) + " checked)");
            } else {
                lines.add("damaged: " + directory + " has " + report.problems().size() + " problem(s)");
                report.problems().forEach(p -> lines.add("  " + p.describe()));
            }
            output.lines(lines);
        }
        return report.ok() ? ErrorCode.OK.exitCode() : ErrorCode.ERROR.exitCode();
    }
}
