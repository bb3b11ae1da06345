-- Without shared_preload_libraries: shared-memory functions explain the fix,
-- everything else works.
\set SHOW_CONTEXT never

SELECT steep_repl.bgworker_available();
SELECT * FROM steep_repl.job_progress();
SELECT * FROM steep_repl.worker_status();
SELECT t.call, try(t.call)
FROM (VALUES
    ($$SELECT * FROM steep_repl.job_progress(1)$$),
    ($$SELECT steep_repl._report_progress(1, 'k', 'p', 0, NULL, 0, 0, 0, 0, 0, 0)$$),
    ($$SELECT steep_repl._finish_progress(1)$$),
    ($$SELECT steep_repl._worker_connected()$$),
    ($$SELECT steep_repl._wake_supervisor()$$)
) AS t(call);

-- Waiting for a job's end falls back to sleeping the poll interval.
SELECT steep_repl._mark_job_ends();
SELECT clock_timestamp() AS before_await \gset
SELECT steep_repl._await_job_end(0.1);
SELECT clock_timestamp() - :'before_await' >= interval '0.1 s' AS slept_the_interval;

-- The server-start settings exist only with shared_preload_libraries.
SHOW steep_repl.database;
SHOW steep_repl.max_job_slots;

-- No job can be submitted: no worker would ever run it.
SELECT steep_repl.submit_job('waits.forever');
SELECT try($$SELECT steep_repl.submit_job('waits.forever')$$);
SELECT count(*) FROM steep_repl.work_queue;
-- bad input is still reported as such
SELECT try($$SELECT steep_repl.submit_job('Bad Kind')$$);

-- health() reports the missing pieces instead of failing.
SELECT * FROM steep_repl.health();
SET ROLE regress_bob;
SELECT * FROM steep_repl.health();
RESET ROLE;
