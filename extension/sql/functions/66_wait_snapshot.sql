CREATE FUNCTION steep_repl._wait_run(p_run_id text, p_timeout interval, p_ops text[], p_noun text, p_listing text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_run steep_repl.runs;
    v_xmin xid;
    v_deadline timestamptz;
    v_started timestamptz := clock_timestamp();
BEGIN
    /*
     * Re-reads the row until the run is complete, failed or cancelled,
     * whatever the outcome: whenever a job ends (the worker announces each
     * end once it has committed, _await_job_end), and otherwise every 10 ms
     * at first, then every 1/50 of the time waited so far, at most every
     * 0.2 s: the bound for ends that are not announced (a job failed by
     * SQL, a server without the shared area).  The count of ended jobs is
     * noted before each read, so an end between the read and the sleep is
     * not missed.  Each read needs a fresh snapshot, hence READ COMMITTED;
     * and the run must have been committed, or the worker never sees its
     * job.
     */
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'wait_% cannot see the run progress in a % transaction',
                        p_noun, upper(current_setting('transaction_isolation'))
            USING ERRCODE = 'active_sql_transaction',
                  HINT = 'Call it in a READ COMMITTED transaction, or on its own.';
    END IF;
    IF p_timeout < interval '0' THEN
        RAISE EXCEPTION 'timeout % is negative', p_timeout
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Give a timeout such as ''10 minutes'', or NULL to wait as long as it takes.';
    END IF;

    PERFORM steep_repl._mark_job_ends();
    SELECT * INTO v_run FROM steep_repl.runs s WHERE s.run_id = p_run_id AND s.op = ANY (p_ops);
    IF NOT FOUND THEN
        RAISE EXCEPTION '% % does not exist', p_noun, coalesce(p_run_id, 'NULL')
            USING ERRCODE = 'undefined_object', HINT = p_listing;
    END IF;
    SELECT q.xmin INTO v_xmin FROM steep_repl.work_queue q WHERE q.id = v_run.job_id;
    IF v_xmin::text = (pg_current_xact_id_if_assigned()::text::numeric % 4294967296)::text THEN
        RAISE EXCEPTION '% % was started in this transaction', p_noun, p_run_id
            USING ERRCODE = 'active_sql_transaction',
                  HINT = 'The worker starts it only when the transaction that started it commits: commit first, then wait.';
    END IF;

    v_deadline := clock_timestamp() + p_timeout;
    LOOP
        EXIT WHEN v_run.status IN ('complete', 'failed', 'cancelled');
        IF clock_timestamp() >= v_deadline THEN
            RAISE EXCEPTION '% % did not finish within % (it is %)', p_noun, p_run_id, p_timeout, v_run.status
                USING ERRCODE = 'query_canceled',
                      HINT = format('Waiting stopped; the run did not. Wait again, follow it with steep_repl.%s_progress(%L), or cancel it with steep_repl.cancel_%1$s(%2$L).',
                                    p_noun, p_run_id);
        END IF;
        PERFORM steep_repl._await_job_end(least(0.2, greatest(0.01,
                                   extract(epoch FROM clock_timestamp() - v_started) / 50)));
        PERFORM steep_repl._mark_job_ends();
        SELECT * INTO v_run FROM steep_repl.runs s WHERE s.run_id = p_run_id AND s.op = ANY (p_ops);
        IF NOT FOUND THEN
            RAISE EXCEPTION '% % was deleted while waiting for it', p_noun, p_run_id
                USING ERRCODE = 'undefined_object';
        END IF;
    END LOOP;
END;
$$;

COMMENT ON FUNCTION steep_repl._wait_run(text, interval, text[], text, text) IS
    'Internal (wait_snapshot, wait_merge): waits until a run is complete, failed or cancelled; raises 57014 when p_timeout passes first';

CREATE FUNCTION steep_repl.wait_snapshot(p_snapshot_id text, p_timeout interval DEFAULT NULL)
RETURNS steep_repl.snapshots
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_snapshot steep_repl.snapshots;
BEGIN
    PERFORM steep_repl._wait_run(p_snapshot_id, p_timeout, ARRAY['generate', 'apply'], 'snapshot',
                                 'steep_repl.snapshots lists the snapshot runs you can see.');
    SELECT * INTO STRICT v_snapshot FROM steep_repl.snapshots s WHERE s.snapshot_id = p_snapshot_id;
    RETURN v_snapshot;
END;
$$;

COMMENT ON FUNCTION steep_repl.wait_snapshot(text, interval) IS
    'Waits until a snapshot run is complete, failed or cancelled and returns its row; raises 57014 when p_timeout passes first (the run goes on)';
