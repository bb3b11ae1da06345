CREATE FUNCTION steep_repl._finish_job(
    p_id bigint,
    p_outcome text,
    p_error text DEFAULT NULL,
    p_result jsonb DEFAULT NULL
)
RETURNS steep_repl.work_queue
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
-- a role granted UPDATE on the table can LOCK it: the worker gives up and tries again
SET lock_timeout = '1s'
AS $$
DECLARE
    v_job steep_repl.work_queue;
    v_retry boolean;
BEGIN
    /*
     * The one place that decides what a run's end means.  A failed run with
     * attempts left, and no cancel request, goes back to pending after
     * 5 seconds times the attempts made; error_message keeps the last error
     * even when a later attempt succeeds.
     */
    IF p_outcome IS NULL OR p_outcome NOT IN ('complete', 'failed', 'cancelled') THEN
        RAISE EXCEPTION 'job outcome % is invalid', coalesce('"' || p_outcome || '"', 'NULL')
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'An outcome is complete, failed or cancelled.';
    END IF;

    -- A transaction of cancel_job's may hold the row: never wait for it.
    SELECT * INTO v_job
    FROM steep_repl.work_queue q
    WHERE q.id = p_id
    FOR UPDATE SKIP LOCKED;

    IF NOT FOUND THEN
        IF EXISTS (SELECT FROM steep_repl.work_queue q WHERE q.id = p_id) THEN
            RAISE EXCEPTION 'job % is locked by another transaction', p_id
                USING ERRCODE = 'lock_not_available',
                      HINT = 'The worker records the outcome once that transaction ends.';
        END IF;
        RAISE EXCEPTION 'job % does not exist', coalesce(p_id::text, 'NULL')
            USING ERRCODE = 'undefined_object';
    END IF;
    IF v_job.status <> 'running' THEN
        RAISE EXCEPTION 'job % is not running', p_id
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = format('Its status is %s.', v_job.status),
                  HINT = 'Only a running job can be finished.';
    END IF;

    v_retry := p_outcome = 'failed'
               AND v_job.attempts < v_job.max_attempts
               AND NOT v_job.cancel_requested;

    UPDATE steep_repl.work_queue q
    SET status = CASE WHEN v_retry THEN 'pending' ELSE p_outcome END,
        run_after = CASE WHEN v_retry THEN now() + interval '5 seconds' * q.attempts
                         ELSE q.run_after END,
        finished_at = CASE WHEN v_retry THEN NULL ELSE clock_timestamp() END,
        worker_pid = CASE WHEN v_retry THEN NULL ELSE q.worker_pid END,
        error_message = coalesce(p_error, q.error_message),
        result = coalesce(p_result, q.result)
    WHERE q.id = p_id
    RETURNING q.* INTO v_job;

    -- A final job needs its held snapshot no more; a requeued one keeps it for the retry.
    IF NOT v_retry AND steep_repl.bgworker_available() THEN
        PERFORM steep_repl._release_snapshot(p_id);
    END IF;
    RETURN v_job;
END;
$$;

COMMENT ON FUNCTION steep_repl._finish_job(bigint, text, text, jsonb) IS
    'Internal (Java worker): ends a running job as complete, failed (requeued while attempts remain) or cancelled; a final job''s held snapshot is released';

REVOKE ALL ON FUNCTION steep_repl._finish_job(bigint, text, text, jsonb) FROM PUBLIC;
