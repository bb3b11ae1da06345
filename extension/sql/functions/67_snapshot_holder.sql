-- Snapshot holders (src/snapshot_holder_api.c, the process in src/snapshot_holder.c): background workers that keep a job's exported
-- snapshot, and the locks on its tables, open when the Java worker dies, so that a retry of
-- the job imports the same snapshot (docs/worker.md).  Not transactional: a holder starts,
-- locks and ends when these functions say so, whatever happens to the calling transaction.

CREATE FUNCTION steep_repl._hold_snapshot(p_job_id bigint, p_role regrole, p_import text DEFAULT NULL)
RETURNS TABLE (
    snapshot_name text,
    lsn pg_lsn,
    reused boolean
)
LANGUAGE C
VOLATILE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'steep_repl_hold_snapshot';

COMMENT ON FUNCTION steep_repl._hold_snapshot(bigint, regrole, text) IS
    'Internal (Java worker): the snapshot held for a job (reused true), or a new one exported by a new holder running as the role, which first imports p_import when given; waits up to 30 s for it';

REVOKE ALL ON FUNCTION steep_repl._hold_snapshot(bigint, regrole, text) FROM PUBLIC;

CREATE FUNCTION steep_repl._lock_held_snapshot(p_job_id bigint, p_tables regclass[])
RETURNS void
LANGUAGE C
VOLATILE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'steep_repl_lock_held_snapshot';

COMMENT ON FUNCTION steep_repl._lock_held_snapshot(bigint, regclass[]) IS
    'Internal (Java worker): makes the job''s snapshot holder take ACCESS SHARE on the tables until it exits; returns once it holds them';

REVOKE ALL ON FUNCTION steep_repl._lock_held_snapshot(bigint, regclass[]) FROM PUBLIC;

CREATE FUNCTION steep_repl._release_snapshot(p_job_id bigint)
RETURNS boolean
LANGUAGE C
VOLATILE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'steep_repl_release_snapshot';

COMMENT ON FUNCTION steep_repl._release_snapshot(bigint) IS
    'Internal (Java worker, _finish_job): tells the job''s snapshot holder to end, without waiting for it; false when the job has none';

REVOKE ALL ON FUNCTION steep_repl._release_snapshot(bigint) FROM PUBLIC;

CREATE FUNCTION steep_repl.held_snapshots()
RETURNS TABLE (
    job_id bigint,
    pid integer,
    database text,
    role text,
    state text,
    snapshot_name text,
    lsn pg_lsn,
    held_since timestamptz,
    tables_locked bigint
)
LANGUAGE C
VOLATILE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'steep_repl_held_snapshots';

COMMENT ON FUNCTION steep_repl.held_snapshots() IS
    'The snapshot holder background workers of the jobs of roles whose privileges the caller has (all for superusers and pg_read_all_stats): job, pid, database, role, state (starting, holding, releasing), snapshot, LSN, since when, tables locked; needs shared_preload_libraries';
