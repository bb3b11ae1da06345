-- Submitting and cancelling jobs, the jobs view, and bad inputs.
\set SHOW_CONTEXT never

SELECT id, kind, params, status, submitted_by, attempts, max_attempts, cancel_requested,
       created_at = now() AS created_now, run_after = now() AS due_now,
       started_at, finished_at, heartbeat_at, worker_pid, error_message, result
FROM steep_repl.submit_job('test.sleep', '{"seconds": 1}');
SELECT id, kind, params, max_attempts FROM steep_repl.submit_job('snapshot.generate', '{}', 3);
SELECT id, kind, params, max_attempts FROM steep_repl.submit_job('x');

-- Bad inputs.
SELECT t.call, try(t.call)
FROM (VALUES
    ($$SELECT steep_repl.submit_job('')$$),
    ($$SELECT steep_repl.submit_job(NULL)$$),
    ($$SELECT steep_repl.submit_job('Test.Sleep')$$),
    ($$SELECT steep_repl.submit_job('1job')$$),
    ($$SELECT steep_repl.submit_job('test sleep')$$),
    ($$SELECT steep_repl.submit_job('a' || repeat('b', 63))$$),
    ($$SELECT steep_repl.submit_job('test.sleep', '[1, 2]')$$),
    ($$SELECT steep_repl.submit_job('test.sleep', '"text"')$$),
    ($$SELECT steep_repl.submit_job('test.sleep', 'null')$$),
    ($$SELECT steep_repl.submit_job('test.sleep', NULL)$$),
    ($$SELECT steep_repl.submit_job('test.sleep', '{}', 0)$$),
    ($$SELECT steep_repl.submit_job('test.sleep', '{}', 101)$$),
    ($$SELECT steep_repl.submit_job('test.sleep', '{}', NULL)$$)
) AS t(call);
SELECT count(*) AS jobs FROM steep_repl.work_queue;

-- Cancelling a pending job cancels it at once.
SELECT id, status, cancel_requested, finished_at = now() AS finished_now
FROM steep_repl.cancel_job(1);
-- A finished job comes back unchanged, with a notice.
SELECT id, status, cancel_requested FROM steep_repl.cancel_job(1);
-- A running job is asked to stop; it stays running until the worker stops it.
SELECT id, status FROM steep_repl._claim_job(4242);
SELECT id, status, cancel_requested, finished_at FROM steep_repl.cancel_job(2);
-- Unknown jobs.
SELECT steep_repl.cancel_job(999);
SELECT steep_repl.cancel_job(NULL);

-- The jobs view.
SELECT id, kind, status, submitted_by, attempts, max_attempts, cancel_requested,
       started_at IS NOT NULL AS started, finished_at IS NOT NULL AS finished,
       duration IS NOT NULL AS has_duration, error_message, params, result
FROM steep_repl.jobs ORDER BY id;

-- Cancellations are audited; a no-op cancellation is not.
SELECT action, target, actor, details FROM steep_repl.audit_log
WHERE action = 'job.cancel' ORDER BY id;

-- Leave no running job behind for the next tests.
SELECT id, status FROM steep_repl._finish_job(2, 'cancelled');
