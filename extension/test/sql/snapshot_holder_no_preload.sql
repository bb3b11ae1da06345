-- Without shared_preload_libraries there are no snapshot holders: their
-- functions explain the fix, and finishing a job does not need them.
\set SHOW_CONTEXT never

SELECT t.call, try(t.call)
FROM (VALUES
    ($$SELECT * FROM steep_repl._hold_snapshot(1, 'postgres')$$),
    ($$SELECT steep_repl._lock_held_snapshot(1, '{}')$$),
    ($$SELECT steep_repl._release_snapshot(1)$$),
    ($$SELECT * FROM steep_repl.held_snapshots()$$)
) AS t(call);

INSERT INTO steep_repl.work_queue (kind) VALUES ('holder.none');
SELECT kind, status FROM steep_repl._claim_job(1);
SELECT kind, status FROM steep_repl._finish_job((SELECT id FROM steep_repl.work_queue WHERE kind = 'holder.none'), 'complete');
DELETE FROM steep_repl.work_queue;
