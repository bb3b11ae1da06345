package io.steep.repl.cli.common;

import io.steep.repl.run.RunRecord;
import java.util.List;

/** How one kind of run reads to people and in JSON, for {@link LongRun} and {@link RunViews}. */
public interface RunText<R extends RunRecord> {
    /** The run's key in JSON documents, e.g. {@code snapshot}. */
    String jsonName();

    /** The run in a message, e.g. {@code snapshot snap_... (generate)}. */
    String describe(R run);

    /** The line on stderr once a run is started and followed. */
    String started(R run);

    /** What to do after a failed run. */
    String failedHint(R run);

    /** The final summary of a run, as key-value lines. */
    List<String> summary(R run);

    /** How to follow or stop a run that goes on without this process. */
    List<String> followHints(String runId);
}
