-- steep_repl.runs: every long operation with a history row (snapshot generate and apply, merge),
-- in one shape, so progress, wait and cancel are written once (_run_progress, _wait_run, _cancel_run).
CREATE VIEW steep_repl.runs
WITH (security_invoker = true)
AS
SELECT s.snapshot_id AS run_id, s.op, s.job_id, s.status, s.phase, s.tables_total, s.tables_completed,
       s.rows_total, s.bytes_total, s.submitted_by, s.created_at, s.started_at, s.finished_at, s.error_message
FROM steep_repl.snapshots s
UNION ALL
SELECT m.merge_id, 'merge', m.job_id, m.status, m.phase, m.tables_total, m.tables_completed,
       m.rows_to_peer + m.rows_to_local, NULL::bigint, m.submitted_by, m.created_at, m.started_at, m.finished_at,
       m.error_message
FROM steep_repl.merge_audit_log m;

COMMENT ON VIEW steep_repl.runs IS
    'Snapshot and merge runs visible to the current role, in one shape: id, op, job, status, counts and times';

GRANT SELECT ON steep_repl.runs TO PUBLIC;
