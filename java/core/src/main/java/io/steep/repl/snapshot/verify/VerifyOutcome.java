package io.steep.repl.snapshot.verify;

import java.util.List;

/**
 * A verification as {@code snapshot verify} reports it, in either mode (the JSON document of
 * {@code --json}, and the daemon's result).
 *
 * @param directory    the directory as named
 * @param snapshotId   null when the manifest could not be read
 * @param filesChecked files read completely
 * @param bytesChecked bytes read from those files
 * @param problems     one line each ({@link VerifyProblem#describe()}), in manifest order
 */
public record VerifyOutcome(String directory, boolean ok, String snapshotId, int filesChecked, long bytesChecked,
        List<String> problems) {

    public VerifyOutcome {
        problems = List.copyOf(problems);
    }

    public static VerifyOutcome of(String directory, VerifyReport report) {
        return new VerifyOutcome(directory, report.ok(),
                report.manifest() == null ? null : report.manifest().snapshotId(), report.filesChecked(),
                report.bytesChecked(), report.problems().stream().map(VerifyProblem::describe).toList());
    }
}
