CREATE FUNCTION steep_repl.cancel_job(p_job_id bigint)
RETURNS steep_repl.work_queue
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_job steep_repl.work_queue;
BEGIN
    /*
     * A pending job is cancelled at once (by the work_queue trigger); a
     * running one gets cancel_requested and the worker is told.  Row-level
     * security hides other roles' jobs, so they "do not exist" here.
     */
    SELECT * INTO v_job
    FROM steep_repl.work_queue q
    WHERE q.id = p_job_id
    FOR UPDATE;

    IF NOT FOUND THEN
        IF EXISTS (SELECT FROM steep_repl.work_queue q WHERE q.id = p_job_id) THEN
            RAISE EXCEPTION 'permission denied to cancel job %', p_job_id
                USING ERRCODE = 'insufficient_privilege',
                      HINT = 'Only the role that submitted a job, or a member of that role, can cancel it.';
        END IF;
        RAISE EXCEPTION 'job % does not exist', coalesce(p_job_id::text, 'NULL')
            USING ERRCODE = 'undefined_object',
                  HINT = 'steep_repl.jobs lists the jobs you can see.';
    END IF;

    IF v_job.status NOT IN ('pending', 'running') THEN
        RAISE NOTICE 'job % is already %', p_job_id, v_job.status;
        RETURN v_job;
    END IF;

    UPDATE steep_repl.work_queue q
    SET cancel_requested = true
    WHERE q.id = p_job_id
    RETURNING q.* INTO v_job;

    IF v_job.status = 'running' THEN
        PERFORM pg_notify('steep_repl_work', 'cancel ' || p_job_id);
    END IF;

    INSERT INTO steep_repl.audit_log (action, target, details)
    VALUES ('job.cancel', 'job ' || p_job_id,
            jsonb_build_object('kind', v_job.kind, 'status', v_job.status));
    RETURN v_job;
END;
$$;

COMMENT ON FUNCTION steep_repl.cancel_job(bigint) IS
    'Cancels a pending job at once, or asks the worker to stop a running one; a finished job is returned unchanged';
