CREATE FUNCTION steep_repl._run_phase(p_status text, p_old_status text, p_phase text)
RETURNS text
LANGUAGE sql
IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
    /*
     * A run's phase in its history row when its job's status changes: starting when it
     * starts, its outcome when it ends, none while pending again; otherwise the phase stays.
     */
    SELECT CASE
               WHEN p_status = 'running' AND p_old_status IS DISTINCT FROM 'running' THEN 'starting'
               WHEN p_status IN ('complete', 'failed', 'cancelled') THEN p_status
               WHEN p_status = 'pending' THEN NULL
               ELSE p_phase
           END;
$$;

COMMENT ON FUNCTION steep_repl._run_phase(text, text, text) IS
    'Internal (the work_queue triggers of snapshot and merge runs): a run''s phase after its job''s status changed';

/*
 * Trigger functions of steep_repl.work_queue that keep steep_repl.snapshots
 * in step with the snapshot jobs.  Both are SECURITY DEFINER: nobody but the
 * extension owner may write steep_repl.snapshots (its rows are the history
 * users and tools trust), while the job rows change through roles that have
 * no such right: the submitter (insert, cancel_job) and the worker.  They
 * copy values from the job row only and run no dynamic SQL.
 */

CREATE FUNCTION steep_repl._snapshot_job_recorded()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_params jsonb := NEW.params;
    v_compression text;
BEGIN
    /*
     * A job queued through submit_job without a snapshot_id is not a
     * snapshot run: it gets no history row, and its handler refuses it.
     * One that names itself a run must be well-formed.
     */
    IF NOT v_params ? 'snapshot_id' THEN
        RETURN NULL;
    END IF;
    PERFORM steep_repl._check_snapshot_params(NEW.kind, v_params, NEW.submitted_by);
    -- The path rule of start_snapshot / start_apply, for jobs queued by a plain INSERT too.
    PERFORM steep_repl.check_snapshot_path(v_params ->> 'path', NEW.kind = 'snapshot.generate', NEW.submitted_by);
    IF v_params -> 'compression' ->> 'method' IS NOT NULL THEN
        v_compression := (v_params -> 'compression' ->> 'method')
            || coalesce(':' || (v_params -> 'compression' ->> 'level'), '');
    END IF;

    INSERT INTO steep_repl.snapshots
        (snapshot_id, op, job_id, path, compression, parallel, options, submitted_by, created_at)
    VALUES (v_params ->> 'snapshot_id',
            CASE NEW.kind WHEN 'snapshot.generate' THEN 'generate' ELSE 'apply' END,
            NEW.id,
            v_params ->> 'path',
            v_compression,
            (v_params ->> 'parallel')::numeric::integer,
            v_params -> 'options',
            NEW.submitted_by,
            NEW.created_at);
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION steep_repl._snapshot_job_recorded() IS
    'Trigger on work_queue: writes the steep_repl.snapshots row of a new snapshot.generate or snapshot.apply job';

REVOKE ALL ON FUNCTION steep_repl._snapshot_job_recorded() FROM PUBLIC;

CREATE FUNCTION steep_repl._snapshot_job_synced()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_result jsonb := NEW.result;
    v_tables_total integer;
    v_tables_completed integer;
    v_rows_total bigint;
    v_bytes_total bigint;
    v_lsn pg_lsn;
    v_slot_name text;
    v_manifest_sha256 text;
BEGIN
    /*
     * The handler's result is free-form JSON.  A malformed field must not
     * make _finish_job fail (the job would stay running), so it is skipped
     * with a warning instead.
     */
    IF jsonb_typeof(v_result) = 'object' THEN
        BEGIN
            v_tables_total := (v_result ->> 'tables_total')::integer;
            v_tables_completed := (v_result ->> 'tables_completed')::integer;
            v_rows_total := (v_result ->> 'rows_total')::bigint;
            v_bytes_total := (v_result ->> 'bytes_total')::bigint;
            v_lsn := (v_result ->> 'lsn')::pg_lsn;
            v_slot_name := v_result ->> 'slot_name';
            v_manifest_sha256 := v_result ->> 'manifest_sha256';
        EXCEPTION WHEN data_exception THEN
            RAISE WARNING 'result of job % is not a snapshot result: %', NEW.id, SQLERRM;
        END;
    END IF;

    UPDATE steep_repl.snapshots s
    SET status = NEW.status,
        phase = steep_repl._run_phase(NEW.status, OLD.status, s.phase),
        started_at = NEW.started_at,
        finished_at = NEW.finished_at,
        error_message = NEW.error_message,
        tables_total = coalesce(v_tables_total, s.tables_total),
        tables_completed = coalesce(v_tables_completed, s.tables_completed),
        rows_total = coalesce(v_rows_total, s.rows_total),
        bytes_total = coalesce(v_bytes_total, s.bytes_total),
        lsn = coalesce(v_lsn, s.lsn),
        slot_name = coalesce(v_slot_name, s.slot_name),
        manifest_sha256 = coalesce(v_manifest_sha256, s.manifest_sha256)
    WHERE s.job_id = NEW.id;
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION steep_repl._snapshot_job_synced() IS
    'Trigger on work_queue: copies status, times, error and result of a snapshot job into its steep_repl.snapshots row';

REVOKE ALL ON FUNCTION steep_repl._snapshot_job_synced() FROM PUBLIC;
