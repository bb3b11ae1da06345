-- The worker's side of the queue: claim, heartbeat, finish, retry, orphans, prune.
\set SHOW_CONTEXT never

-- Nothing to claim: a row of NULLs.
SELECT id IS NULL AS nothing FROM steep_repl._claim_job(4242);

SELECT id AS first_id FROM steep_repl.submit_job('q.one') \gset
SELECT kind FROM steep_repl.submit_job('q.two');
SELECT kind FROM steep_repl.submit_job('q.three', '{}', 3);
INSERT INTO steep_repl.work_queue (kind, run_after) VALUES ('q.later', now() + interval '1 hour');

-- The oldest due job first.
SELECT id = :first_id AS oldest, kind, status, attempts, worker_pid,
       started_at IS NOT NULL AS started, heartbeat_at IS NOT NULL AS heartbeat
FROM steep_repl._claim_job(4242);
SELECT kind, status, attempts FROM steep_repl._claim_job(4343);

-- Heartbeats: running jobs only, with their cancel flags.
SELECT (steep_repl.cancel_job(id)).cancel_requested
FROM steep_repl.work_queue WHERE kind = 'q.two';
SELECT q.kind, h.cancel_requested
FROM steep_repl._heartbeat_jobs(ARRAY(SELECT id FROM steep_repl.work_queue)) h
JOIN steep_repl.work_queue q USING (id)
ORDER BY q.kind;

-- Finishing.
SELECT kind, status, finished_at IS NOT NULL AS finished, worker_pid, result
FROM steep_repl._finish_job(:first_id, 'complete', NULL, '{"rows": 42}');
SELECT t.call, try(t.call)
FROM (VALUES
    (format('SELECT steep_repl._finish_job(%s, %L)', :first_id, 'complete')),
    (format('SELECT steep_repl._finish_job(%s, %L)', :first_id, 'done')),
    ($$SELECT steep_repl._finish_job(999, 'complete')$$),
    ($$SELECT steep_repl._finish_job(999, NULL)$$)
) AS t(call);
-- a failed run with a cancel request is not retried
SELECT kind, status, attempts, max_attempts, error_message
FROM steep_repl._finish_job((SELECT id FROM steep_repl.work_queue WHERE kind = 'q.two'),
                            'failed', 'stopped by request');

-- Retry: a failed run goes back to pending, later, while attempts remain.
SELECT kind, attempts FROM steep_repl._claim_job(4242);
SELECT kind, status, attempts, max_attempts, run_after > now() AS delayed,
       finished_at, worker_pid, error_message
FROM steep_repl._finish_job((SELECT id FROM steep_repl.work_queue WHERE kind = 'q.three'),
                            'failed', 'boom 1');
-- not due yet: nothing to claim
SELECT id IS NULL AS nothing FROM steep_repl._claim_job(4242);
UPDATE steep_repl.work_queue SET run_after = now() WHERE kind = 'q.three';
SELECT kind, status, attempts FROM steep_repl._claim_job(4242);
-- a success keeps the last error
SELECT kind, status, attempts, error_message, result
FROM steep_repl._finish_job((SELECT id FROM steep_repl.work_queue WHERE kind = 'q.three'),
                            'complete');

-- The last attempt's failure is final.
SELECT id AS last_id FROM steep_repl.submit_job('q.last', '{}', 2) \gset
SELECT attempts FROM steep_repl._claim_job(1);
SELECT status, attempts FROM steep_repl._finish_job(:last_id, 'failed', 'first');
UPDATE steep_repl.work_queue SET run_after = now() WHERE id = :last_id;
SELECT attempts FROM steep_repl._claim_job(1);
SELECT status, attempts, finished_at IS NOT NULL AS finished, error_message
FROM steep_repl._finish_job(:last_id, 'failed', 'second');

-- The cancelled outcome.
SELECT kind FROM steep_repl.submit_job('q.cancelled');
SELECT kind FROM steep_repl._claim_job(1);
SELECT kind, status, finished_at IS NOT NULL AS finished
FROM steep_repl._finish_job((SELECT id FROM steep_repl.work_queue WHERE kind = 'q.cancelled'),
                            'cancelled');

-- Orphans: every running job is retried if it may be, else failed.
SELECT kind FROM steep_repl.submit_job('orphan.once');
SELECT kind FROM steep_repl.submit_job('orphan.retry', '{}', 2);
SELECT kind FROM steep_repl._claim_job(7);
SELECT kind FROM steep_repl._claim_job(7);
SELECT steep_repl._fail_orphaned_jobs('server restarted while the job was running');
SELECT kind, status, attempts, finished_at IS NOT NULL AS finished, error_message
FROM steep_repl.work_queue WHERE kind LIKE 'orphan.%' ORDER BY kind;
SELECT steep_repl._fail_orphaned_jobs('again');

-- Pruning: finished jobs older than steep_repl.job_retention (7 days).
UPDATE steep_repl.work_queue SET finished_at = now() - interval '8 days'
WHERE kind IN ('q.one', 'q.two');
UPDATE steep_repl.work_queue SET finished_at = now() - interval '6 days'
WHERE kind = 'q.three';
SELECT steep_repl._prune_jobs();
-- (the call has loaded the library, which defines the setting in this session)
SHOW steep_repl.job_retention;
SELECT kind, status FROM steep_repl.work_queue ORDER BY id;
SELECT action, target, actor, details->'retention' AS retention,
       jsonb_array_length(details->'ids') AS ids
FROM steep_repl.audit_log WHERE action = 'job.prune';
SELECT steep_repl._prune_jobs();
SELECT count(*) FROM steep_repl.audit_log WHERE action = 'job.prune';
