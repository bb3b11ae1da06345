/*
 * Trigger functions of steep_repl.work_queue that keep steep_repl.merge_audit_log
 * in step with the merge jobs, as _snapshot_job_recorded / _synced do for
 * snapshots: SECURITY DEFINER because no role may write the history
 * itself; they copy values from the job row only.
 */

CREATE FUNCTION steep_repl._merge_job_recorded()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_params jsonb := NEW.params;
BEGIN
    /*
     * A merge job queued through submit_job must be well-formed; its
     * handler checks tables, options and privileges again as the submitter
     * before any change.
     */
    IF jsonb_typeof(v_params -> 'merge_id') IS DISTINCT FROM 'string'
       OR jsonb_typeof(v_params -> 'peer') IS DISTINCT FROM 'string'
       OR jsonb_typeof(v_params -> 'tables') IS DISTINCT FROM 'array'
       OR jsonb_typeof(v_params -> 'strategy') IS DISTINCT FROM 'string'
       OR jsonb_typeof(v_params -> 'dry_run') IS DISTINCT FROM 'boolean'
       OR jsonb_typeof(v_params -> 'options') IS DISTINCT FROM 'object'
       OR EXISTS (SELECT FROM jsonb_array_elements(v_params -> 'tables') AS t WHERE jsonb_typeof(t) <> 'string')
       OR NOT v_params ->> 'strategy' = ANY (steep_repl._merge_strategies()) THEN
        RAISE EXCEPTION 'merge job parameters are malformed'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Start merges with steep_repl.start_merge.';
    END IF;
    PERFORM steep_repl._check_merge_peer(v_params ->> 'peer');

    INSERT INTO steep_repl.merge_audit_log
        (merge_id, job_id, peer, tables, strategy, dry_run, options, tables_total, submitted_by, created_at)
    VALUES (v_params ->> 'merge_id', NEW.id, v_params ->> 'peer',
            ARRAY(SELECT jsonb_array_elements_text(v_params -> 'tables')),
            v_params ->> 'strategy', (v_params ->> 'dry_run')::boolean, v_params -> 'options',
            jsonb_array_length(v_params -> 'tables'), NEW.submitted_by, NEW.created_at);
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION steep_repl._merge_job_recorded() IS
    'Trigger on work_queue: writes the steep_repl.merge_audit_log row of a new merge job';

REVOKE ALL ON FUNCTION steep_repl._merge_job_recorded() FROM PUBLIC;

CREATE FUNCTION steep_repl._merge_job_synced()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    /* Counts come from _merge_record, table by table; the job row gives status, times and error. */
    UPDATE steep_repl.merge_audit_log m
    SET status = NEW.status,
        phase = steep_repl._run_phase(NEW.status, OLD.status, m.phase),
        started_at = NEW.started_at,
        finished_at = NEW.finished_at,
        error_message = NEW.error_message
    WHERE m.job_id = NEW.id;
    IF NEW.status IN ('complete', 'failed', 'cancelled') THEN
        DELETE FROM steep_repl._merge_tokens t USING steep_repl.merge_audit_log m
        WHERE m.job_id = NEW.id AND t.merge_id = m.merge_id;
    END IF;
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION steep_repl._merge_job_synced() IS
    'Trigger on work_queue: copies status, times and error of a merge job into its steep_repl.merge_audit_log row';

REVOKE ALL ON FUNCTION steep_repl._merge_job_synced() FROM PUBLIC;
