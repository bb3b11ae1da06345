-- steep_repl.jobs: the work queue as users read it; row-level security applies.
CREATE VIEW steep_repl.jobs
WITH (security_invoker = true)
AS
SELECT q.id,
       q.kind,
       q.status,
       q.submitted_by,
       q.attempts,
       q.max_attempts,
       q.cancel_requested,
       q.created_at,
       q.started_at,
       q.finished_at,
       q.heartbeat_at,
       CASE
           WHEN q.status = 'running' THEN now() - q.started_at
           WHEN q.finished_at IS NOT NULL THEN q.finished_at - q.started_at
       END AS duration,
       q.error_message,
       q.params,
       q.result
FROM steep_repl.work_queue q;

COMMENT ON VIEW steep_repl.jobs IS
    'Background jobs visible to the current role (its own, or all for pg_monitor members), with their duration';

GRANT SELECT ON steep_repl.jobs TO PUBLIC;
