CREATE FUNCTION steep_repl.submit_job(
    p_kind text,
    p_params jsonb DEFAULT '{}',
    p_max_attempts integer DEFAULT 1
)
RETURNS steep_repl.work_queue
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_job steep_repl.work_queue;
BEGIN
    /*
     * Queues a job for the Java worker and wakes it with a notification.  The
     * worker sees the job only once the caller's transaction commits.  Runs
     * with the caller's privileges: the job is the caller's.
     */
    IF p_kind IS NULL OR p_kind !~ '^[a-z][a-z0-9_.-]{0,62}$' THEN
        RAISE EXCEPTION 'job kind % is invalid', coalesce('"' || p_kind || '"', 'NULL')
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'A job kind has 1 to 63 lower-case letters, digits, "_", "." or "-" and starts with a letter, for example "snapshot.generate".';
    END IF;
    IF p_params IS NULL OR jsonb_typeof(p_params) <> 'object' THEN
        RAISE EXCEPTION 'job parameters must be a JSON object, not %', coalesce(jsonb_typeof(p_params), 'NULL')
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Pass an object such as ''{"path": "/tmp/x"}''::jsonb, or ''{}''.';
    END IF;
    IF p_max_attempts IS NULL OR p_max_attempts NOT BETWEEN 1 AND 100 THEN
        RAISE EXCEPTION 'max_attempts % is out of range', coalesce(p_max_attempts::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'max_attempts is between 1 and 100.';
    END IF;
    -- Without shared_preload_libraries no worker would ever run the job:
    -- worker_status() raises the shared-memory error (55000) with the fix.
    IF NOT steep_repl.bgworker_available() THEN
        PERFORM steep_repl.worker_status();
    END IF;
    IF NOT steep_repl.serves_database(current_database()) THEN
        RAISE EXCEPTION 'steep_repl does not run jobs in database "%"', current_database()
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Add the database to steep_repl.databases in postgresql.conf (or set it to ''*'') and reload the configuration.';
    END IF;

    INSERT INTO steep_repl.work_queue (kind, params, max_attempts)
    VALUES (p_kind, p_params, p_max_attempts)
    RETURNING * INTO v_job;

    PERFORM pg_notify('steep_repl_work', 'job ' || v_job.id);
    RETURN v_job;
END;
$$;

COMMENT ON FUNCTION steep_repl.submit_job(text, jsonb, integer) IS
    'Queues a background job run by the steep_repl Java worker as the calling role; needs shared_preload_libraries and a database steep_repl.databases covers';
