-- Job progress in shared memory (src/job_slots.c): instant and not transactional.

CREATE FUNCTION steep_repl._report_progress(
    p_job_id bigint,
    p_kind text,
    p_phase text,
    p_percent double precision,
    p_current_item text,
    p_items_done bigint,
    p_items_total bigint,
    p_rows_done bigint,
    p_bytes_done bigint,
    p_rows_per_sec double precision,
    p_bytes_per_sec double precision,
    p_cancel_requested boolean DEFAULT false,
    p_role oid DEFAULT 0
)
RETURNS bigint
LANGUAGE C
VOLATILE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'steep_repl_report_progress';

COMMENT ON FUNCTION steep_repl._report_progress(bigint, text, text, double precision, text, bigint, bigint, bigint, bigint, double precision, double precision, boolean, oid) IS
    'Internal (Java worker): writes a job''s progress to its shared-memory slot, claiming a free slot on the first report, which records p_role, the job''s submitter (0: unknown, visible to superusers and pg_read_all_stats only); returns the slot generation';

REVOKE ALL ON FUNCTION steep_repl._report_progress(bigint, text, text, double precision, text, bigint, bigint, bigint, bigint, double precision, double precision, boolean, oid) FROM PUBLIC;

CREATE FUNCTION steep_repl._finish_progress(p_job_id bigint)
RETURNS boolean
LANGUAGE C
VOLATILE STRICT
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'steep_repl_finish_progress';

COMMENT ON FUNCTION steep_repl._finish_progress(bigint) IS
    'Internal (Java worker): frees a job''s shared-memory progress slot; false when it had none';

REVOKE ALL ON FUNCTION steep_repl._finish_progress(bigint) FROM PUBLIC;

CREATE FUNCTION steep_repl._mark_job_ends()
RETURNS void
LANGUAGE C
VOLATILE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'steep_repl_mark_job_ends';

COMMENT ON FUNCTION steep_repl._mark_job_ends() IS
    'Internal (wait_snapshot, wait_merge): notes how many jobs have ended, for _await_job_end; call it before reading a run''s status';

CREATE FUNCTION steep_repl._await_job_end(p_seconds double precision)
RETURNS void
LANGUAGE C
VOLATILE STRICT
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'steep_repl_await_job_end';

COMMENT ON FUNCTION steep_repl._await_job_end(double precision) IS
    'Internal (wait_snapshot, wait_merge): sleeps until a job has ended since _mark_job_ends or p_seconds have passed; without shared_preload_libraries, sleeps p_seconds';

CREATE FUNCTION steep_repl.job_progress(p_job_id bigint DEFAULT NULL)
RETURNS TABLE (
    job_id bigint,
    kind text,
    phase text,
    percent double precision,
    items_done bigint,
    items_total bigint,
    rows_done bigint,
    bytes_done bigint,
    current_item text,
    rows_per_sec double precision,
    bytes_per_sec double precision,
    started_at timestamptz,
    updated_at timestamptz,
    cancel_requested boolean,
    reporter_pid integer,
    generation bigint
)
LANGUAGE C
VOLATILE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'steep_repl_job_progress';

COMMENT ON FUNCTION steep_repl.job_progress(bigint) IS
    'Progress of the running jobs (one row per shared-memory slot in use), or of one job: those submitted by roles whose privileges the caller has (all for superusers and pg_read_all_stats); needs shared_preload_libraries';
