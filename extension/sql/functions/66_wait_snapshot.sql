CREATE FUNCTION steep_repl.wait_snapshot(p_snapshot_id text, p_timeout interval DEFAULT NULL)
RETURNS steep_repl.snapshots
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_snapshot steep_repl.snapshots;
    v_xmin xid;
    v_deadline timestamptz;
BEGIN
    /*
     * Re-reads the row every 0.2 s until the run is complete, failed or
     * cancelled, and returns it whatever the outcome.  Each read needs a
     * fresh snapshot, hence READ COMMITTED; and the run must have been
     * committed, or the worker never sees its job.
     */
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'wait_snapshot cannot see the run progress in a % transaction',
                        upper(current_setting('transaction_isolation'))
            USING ERRCODE = 'active_sql_transaction',
                  HINT = 'Call it in a READ COMMITTED transaction, or on its own.';
    END IF;
    IF p_timeout < interval '0' THEN
        RAISE EXCEPTION 'timeout % is negative', p_timeout
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Give a timeout such as ''10 minutes'', or NULL to wait as long as it takes.';
    END IF;

    SELECT s.xmin INTO v_xmin FROM steep_repl.snapshots s WHERE s.snapshot_id = p_snapshot_id;
    SELECT * INTO v_snapshot FROM steep_repl.snapshots s WHERE s.snapshot_id = p_snapshot_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'snapshot % does not exist', coalesce(p_snapshot_id, 'NULL')
            USING ERRCODE = 'undefined_object',
                  HINT = 'steep_repl.snapshots lists the snapshot runs you can see.';
    END IF;
    IF v_xmin::text = (pg_current_xact_id_if_assigned()::text::numeric % 4294967296)::text THEN
        RAISE EXCEPTION 'snapshot % was started in this transaction', p_snapshot_id
            USING ERRCODE = 'active_sql_transaction',
                  HINT = 'The worker starts it only when the transaction that started it commits: commit first, then wait.';
    END IF;

    v_deadline := clock_timestamp() + p_timeout;
    LOOP
        EXIT WHEN v_snapshot.status IN ('complete', 'failed', 'cancelled');
        IF clock_timestamp() >= v_deadline THEN
            RAISE EXCEPTION 'snapshot % did not finish within % (it is %)', p_snapshot_id, p_timeout, v_snapshot.status
                USING ERRCODE = 'query_canceled',
                      HINT = format('Waiting stopped; the run did not. Wait again, follow it with steep_repl.snapshot_progress(%L), or cancel it with steep_repl.cancel_snapshot(%L).',
                                    p_snapshot_id, p_snapshot_id);
        END IF;
        PERFORM pg_sleep(0.2);
        SELECT * INTO v_snapshot FROM steep_repl.snapshots s WHERE s.snapshot_id = p_snapshot_id;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'snapshot % was deleted while waiting for it', p_snapshot_id
                USING ERRCODE = 'undefined_object';
        END IF;
    END LOOP;
    RETURN v_snapshot;
END;
$$;

COMMENT ON FUNCTION steep_repl.wait_snapshot(text, interval) IS
    'Waits until a snapshot run is complete, failed or cancelled and returns its row; raises 57014 when p_timeout passes first (the run goes on)';
