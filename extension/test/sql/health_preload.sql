-- health() with shared memory, in the database the supervisor serves.
\set SHOW_CONTEXT never

-- Start from an empty queue: earlier tests leave jobs behind.
DELETE FROM steep_repl.work_queue;

-- worker_status called _worker_connected(), so the worker looks like one that
-- ran and exited: being restarted, a warning (troubleshooting shows the error
-- of a worker that has not connected since it was started).
SELECT * FROM steep_repl.health();
SELECT steep_repl._report_progress(7, 'test.sleep', 'start', 0, NULL, 0, 0, 0, 0, 0, 0);
SELECT component, status, detail FROM steep_repl.health() WHERE component = 'shared_memory';
SELECT steep_repl._finish_progress(7);

-- Pending jobs without a running worker are a warning; failed jobs show up,
-- for those who may see them.
SELECT kind FROM steep_repl.submit_job('test.wait');
SELECT kind FROM steep_repl.submit_job('test.fail');
SELECT kind FROM steep_repl._claim_job(1);
SELECT kind FROM steep_repl._claim_job(1);
SELECT kind, status FROM steep_repl._finish_job(
    (SELECT id FROM steep_repl.work_queue WHERE kind = 'test.fail'), 'failed', 'disk full');
SELECT kind FROM steep_repl.submit_job('test.later');
SELECT component, status, regexp_replace(detail, 'job \d+', 'job N') AS detail
FROM steep_repl.health() WHERE component IN ('queue', 'last_error');
SET ROLE regress_bob;
SELECT * FROM steep_repl.health() WHERE component IN ('queue', 'last_error');
RESET ROLE;

-- A check that fails is reported, not raised.
REVOKE SELECT ON steep_repl.nodes FROM PUBLIC;
SET ROLE regress_bob;
SELECT * FROM steep_repl.health() WHERE component = 'nodes';
RESET ROLE;
GRANT SELECT ON steep_repl.nodes TO PUBLIC;
DELETE FROM steep_repl.work_queue;
