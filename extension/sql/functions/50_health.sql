CREATE FUNCTION steep_repl.health()
RETURNS TABLE (component text, status text, detail text)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_available boolean := false;
    v_worker record;
    v_worker_runs_here boolean := false;
    v_worker_running boolean := false;
    v_served record;
    v_served_here boolean := false;
    v_pending bigint;
    v_running bigint;
    v_failed record;
    v_nodes bigint;
    v_unhealthy bigint;
BEGIN
    /*
     * One row per component; never raises: a failing check reports 'error'
     * with the message.  Runs with the caller's privileges, so the queue rows
     * count only the jobs the caller may see.
     */
    BEGIN
        component := 'extension';
        SELECT 'ok', format('steep_repl %s', e.extversion) INTO status, detail
        FROM pg_catalog.pg_extension e
        WHERE e.extname = 'steep_repl';
    EXCEPTION WHEN OTHERS THEN
        status := 'error';
        detail := SQLERRM;
    END;
    RETURN NEXT;

    BEGIN
        component := 'shared_memory';
        v_available := steep_repl.bgworker_available();
        IF v_available THEN
            status := 'ok';
            detail := format('%s of %s job slots in use',
                             (SELECT count(*) FROM steep_repl.job_progress()),
                             current_setting('steep_repl.max_job_slots'));
        ELSE
            status := 'unavailable';
            detail := 'steep_repl is not in shared_preload_libraries';
        END IF;
    EXCEPTION WHEN OTHERS THEN
        status := 'error';
        detail := SQLERRM;
    END;
    RETURN NEXT;

    BEGIN
        component := 'supervisor';
        IF NOT v_available THEN
            status := 'unavailable';
            detail := 'needs steep_repl in shared_preload_libraries';
        ELSE
            SELECT * INTO v_worker FROM steep_repl.worker_status();
            v_worker_runs_here := steep_repl.serves_database(current_database());
            IF v_worker.supervisor_pid IS NULL THEN
                status := 'error';
                detail := format('the supervisor is not running (%s)', v_worker.state);
            ELSIF NOT v_worker_runs_here THEN
                status := 'warning';
                detail := format('steep_repl.databases (''%s'') does not cover this database; jobs cannot be run from it',
                                 v_worker.database);
            ELSE
                status := 'ok';
                detail := format('running, steep_repl.databases = ''%s''', v_worker.database);
            END IF;
        END IF;
    EXCEPTION WHEN OTHERS THEN
        status := 'error';
        detail := SQLERRM;
    END;
    RETURN NEXT;

    BEGIN
        component := 'java_worker';
        IF NOT v_available THEN
            status := 'unavailable';
            detail := 'needs steep_repl in shared_preload_libraries';
        ELSE
            CASE v_worker.state
                WHEN 'running' THEN
                    v_worker_running := true;
                    status := 'ok';
                    detail := format('running (PID %s) since %s, %s starts',
                                     v_worker.worker_pid, v_worker.worker_connected_at,
                                     v_worker.worker_starts);
                WHEN 'starting' THEN
                    status := 'ok';
                    detail := format('starting (PID %s)', v_worker.worker_pid);
                WHEN 'waiting for extension' THEN
                    status := 'warning';
                    detail := format('no database to serve: waiting for CREATE EXTENSION steep_repl in a database steep_repl.databases (''%s'') covers',
                                     v_worker.database);
                WHEN 'backing off' THEN
                    /*
                     * Each start clears worker_connected_at: a worker that has
                     * not connected since its last start (or never started,
                     * e.g. no Java) cannot run jobs, and will not by waiting.
                     * One that ran and died is being restarted.
                     */
                    IF v_worker.worker_connected_at IS NULL THEN
                        status := 'error';
                        detail := format('cannot start: %s; retrying', v_worker.last_exit_status);
                    ELSE
                        status := 'warning';
                        detail := format('restarting after: %s', v_worker.last_exit_status);
                    END IF;
                ELSE
                    status := 'error';
                    detail := format('not running (%s)', v_worker.state);
            END CASE;
        END IF;
    EXCEPTION WHEN OTHERS THEN
        status := 'error';
        detail := SQLERRM;
    END;
    RETURN NEXT;

    /* one row per database the worker serves or is asked to */
    IF v_available THEN
      BEGIN
        FOR v_served IN
            SELECT * FROM steep_repl.served_databases() d
            ORDER BY d.database COLLATE "C", d.database_id
        LOOP
            component := format('database %s', coalesce(v_served.database, v_served.database_id::text));
            IF v_served.database = current_database() AND v_served.state = 'serving' THEN
                v_served_here := true;
            END IF;
            IF v_served.state = 'error' THEN
                status := 'error';
                detail := format('cannot be served: %s', v_served.detail);
            ELSIF v_served.state = 'serving' THEN
                status := 'ok';
                detail := format('serving since %s', v_served.since);
            ELSE
                status := 'ok';
                detail := v_served.state;
            END IF;
            RETURN NEXT;
        END LOOP;
      EXCEPTION WHEN OTHERS THEN
        component := 'databases';
        status := 'error';
        detail := SQLERRM;
        RETURN NEXT;
      END;
    END IF;

    BEGIN
        component := 'queue';
        SELECT count(*) FILTER (WHERE q.status = 'pending'),
               count(*) FILTER (WHERE q.status = 'running')
        INTO v_pending, v_running
        FROM steep_repl.work_queue q
        WHERE q.status IN ('pending', 'running');
        IF v_pending > 0 AND NOT (v_served_here AND v_worker_running) THEN
            status := 'warning';
            detail := format('%s pending and %s running jobs, but no java worker runs for this database',
                             v_pending, v_running);
        ELSE
            status := 'ok';
            detail := format('%s pending and %s running jobs', v_pending, v_running);
        END IF;
    EXCEPTION WHEN OTHERS THEN
        status := 'error';
        detail := SQLERRM;
    END;
    RETURN NEXT;

    BEGIN
        component := 'last_error';
        SELECT q.id, q.kind, q.error_message INTO v_failed
        FROM steep_repl.work_queue q
        WHERE q.status = 'failed'
          AND q.finished_at > now() - interval '1 day'
        ORDER BY q.finished_at DESC, q.id DESC
        LIMIT 1;
        IF FOUND THEN
            status := 'warning';
            detail := format('job %s (%s) failed: %s', v_failed.id, v_failed.kind,
                             coalesce(v_failed.error_message, 'no error message'));
        ELSE
            status := 'ok';
            detail := 'no job failed in the last 24 hours';
        END IF;
    EXCEPTION WHEN OTHERS THEN
        status := 'error';
        detail := SQLERRM;
    END;
    RETURN NEXT;

    BEGIN
        component := 'nodes';
        SELECT count(*), count(*) FILTER (WHERE NOT s.is_healthy)
        INTO v_nodes, v_unhealthy
        FROM steep_repl.node_status() s;
        IF v_unhealthy > 0 THEN
            status := 'warning';
            detail := format('%s of %s nodes have no recent heartbeat', v_unhealthy, v_nodes);
        ELSE
            status := 'ok';
            detail := format('%s nodes, all healthy', v_nodes);
        END IF;
    EXCEPTION WHEN OTHERS THEN
        status := 'error';
        detail := SQLERRM;
    END;
    RETURN NEXT;
END;
$$;

COMMENT ON FUNCTION steep_repl.health() IS
    'Health of the extension, shared memory, supervisor, Java worker, each served database, job queue, last job error and nodes; status ok, warning, error or unavailable; never raises';
