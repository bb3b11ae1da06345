CREATE FUNCTION steep_repl._cancel_job(p_caller regrole, p_job_id bigint)
RETURNS steep_repl.work_queue
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_job steep_repl.work_queue;
BEGIN
    /*
     * Acts for p_caller (src/with_caller.c).  A pending job is cancelled at
     * once (by the work_queue trigger); a running one gets cancel_requested,
     * which the worker reads from this table: the notification only wakes
     * it.  Nobody else may update job rows, so nobody can hold a lock on one
     * longer than this call's transaction.  A job the caller cannot see
     * "does not exist"; one it sees (pg_monitor) but does not own is denied.
     */
    SELECT * INTO v_job FROM steep_repl.work_queue q WHERE q.id = p_job_id;
    IF NOT FOUND OR NOT (steep_repl._acts_for(v_job.submitted_by, p_caller)
                         OR pg_catalog.pg_has_role(p_caller, 'pg_monitor', 'MEMBER')) THEN
        RAISE EXCEPTION 'job % does not exist', coalesce(p_job_id::text, 'NULL')
            USING ERRCODE = 'undefined_object',
                  HINT = 'steep_repl.jobs lists the jobs you can see.';
    END IF;
    IF NOT steep_repl._acts_for(v_job.submitted_by, p_caller) THEN
        RAISE EXCEPTION 'permission denied to cancel job %', p_job_id
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Only the role that submitted a job, or a member of that role, can cancel it.';
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

    PERFORM steep_repl._audit(p_caller, 'job.cancel', 'job ' || p_job_id,
                              jsonb_build_object('kind', v_job.kind, 'status', v_job.status));
    RETURN v_job;
END;
$$;

COMMENT ON FUNCTION steep_repl._cancel_job(regrole, bigint) IS
    'Internal: the body of cancel_job, acting for the calling role p_caller (see src/with_caller.c)';

REVOKE ALL ON FUNCTION steep_repl._cancel_job(regrole, bigint) FROM PUBLIC;

-- Public entry point: calls _cancel_job with the caller's role (src/with_caller.c).
CREATE FUNCTION steep_repl.cancel_job(p_job_id bigint)
RETURNS steep_repl.work_queue
LANGUAGE C
VOLATILE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'steep_repl_with_caller';

COMMENT ON FUNCTION steep_repl.cancel_job(bigint) IS
    'Cancels a pending job at once, or asks the worker to stop a running one; a finished job is returned unchanged';
