package io.steep.repl.snapshot.verify;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import io.steep.repl.snapshot.manifest.Manifest;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What {@link SnapshotVerifier} found.
 *
 * @param manifest     null when the manifest itself could not be read
 * @param filesChecked files read completely
 * @param bytesChecked bytes read from those files
 */
public record VerifyReport(Path directory, Manifest manifest, List<VerifyProblem> problems, int filesChecked,
        long bytesChecked) {
    /** Problems listed in a message before the rest are counted only. */
    static final int MAX_LISTED = 5;

    public VerifyReport {
        problems = List.copyOf(problems);
    }

    public boolean ok() {
        return problems.isEmpty();
    }

    /** Returns the manifest when the snapshot is intact; otherwise fails naming the problems. */
    public Manifest orThrow() {
        if (ok()) {
            return manifest;
        }
        String listed = problems.stream().limit(MAX_LISTED).map(VerifyProblem::describe)
                .collect(Collectors.joining("; "));
        String more = problems.size() > MAX_LISTED ? " and " + (problems.size() - MAX_LISTED) + " more" : "";
        return fail("snapshot " + directory + " failed verification: " + listed + more);
    }

    private static Manifest fail(String message) {
        throw new SteepReplException(ErrorCode.ERROR, message,
                "The snapshot is damaged or incomplete. Nothing was changed; generate the snapshot again "
                        + "or copy the missing or damaged files from the original.");
    }
}
