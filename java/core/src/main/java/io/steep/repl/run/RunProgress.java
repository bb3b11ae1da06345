package io.steep.repl.run;

import java.time.Duration;

/**
 * One row of a run's progress function (snapshot_progress, merge_progress): live numbers from
 * shared memory while it runs, its history row otherwise. Null where not known.
 */
public interface RunProgress {
    /** What the run does (generate, apply, merge), for the progress line. */
    String op();

    String status();

    String phase();

    Double percent();

    Integer tablesCompleted();

    Integer tablesTotal();

    String currentTable();

    Double bytesPerSec();

    /** Time left at the current rate. */
    Duration eta();
}
