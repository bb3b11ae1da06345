package io.steep.repl.job;

/** Where a running job's progress goes; the worker throttles and publishes it. */
@FunctionalInterface
public interface ProgressSink {
    void report(ProgressUpdate update);
}
