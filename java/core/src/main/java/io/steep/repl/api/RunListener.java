package io.steep.repl.api;

/** What a client sees of a run it started: the run as started, then its progress. */
public interface RunListener<R, P> {
    void started(R run);

    void progress(P progress);
}
