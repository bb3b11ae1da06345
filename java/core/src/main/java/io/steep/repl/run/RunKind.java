package io.steep.repl.run;

/**
 * What tells one kind of run from another for {@link Runs}: its noun, the key of its id in
 * progress notifications, and its SQL (each statement takes the run id as its one parameter).
 *
 * @param noun         how messages name a run, e.g. {@code snapshot}
 * @param notifyKey    the id's key in the worker's progress notifications, e.g. {@code snapshot_id}
 * @param findSql      the visible history row of a run
 * @param progressSql  the progress of a run, or of every unfinished one when the id is null
 * @param cancelSql    cancels a run
 * @param notFoundHint what to do about an id that names no visible run
 */
public record RunKind<R extends RunRecord, P extends RunProgress>(
        String noun,
        String notifyKey,
        String findSql,
        RowReader<R> readRun,
        String progressSql,
        RowReader<P> readProgress,
        String cancelSql,
        String notFoundHint) {
}
