package io.steep.repl.run;

import java.sql.SQLException;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Follows a run until it ends, handing each look at its progress on. Notifications wake it
 * early; it looks at the run at least once a second because notifications can be lost. The
 * same loop serves the CLI in direct mode and the daemon's progress streams.
 */
public final class RunWatcher {
    private static final int POLL_MILLIS = 1000;

    private RunWatcher() {
    }

    /**
     * @param stop checked between looks: true ends the watch early (a client gone, a daemon
     *             shutting down), leaving the run as it is
     * @return the run's final row, or its last row when stopped early
     */
    public static <R extends RunRecord, P extends RunProgress> R follow(Runs<R, P> runs, R started,
            Consumer<P> progress, BooleanSupplier stop) throws SQLException {
        runs.listen();
        try {
            while (true) {
                R run = runs.get(started.runId());
                if (run.isFinished() || stop.getAsBoolean()) {
                    return run;
                }
                List<P> looks = runs.progress(run.runId());
                if (!looks.isEmpty()) {
                    progress.accept(looks.get(0));
                }
                runs.awaitNews(run, POLL_MILLIS);
            }
        } finally {
            runs.unlisten();
        }
    }
}
