CREATE FUNCTION steep_repl._run_progress(p_run_id text, p_ops text[], p_noun text, p_listing text)
RETURNS TABLE (
    run_id text,
    op text,
    status text,
    phase text,
    percent double precision,
    tables_completed integer,
    tables_total integer,
    current_table text,
    rows_done bigint,
    bytes_done bigint,
    bytes_per_sec double precision,
    eta interval,
    started_at timestamptz,
    error_message text
)
LANGUAGE plpgsql
VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_slots jsonb := '[]';
BEGIN
    /*
     * Live numbers come from the job's shared-memory slot (the handler
     * reports tables as items); a finished run, or any run after a server
     * restart, is described by its history row (steep_repl.runs).  Without an id:
     * the pending and running runs of those ops the caller can see.
     */
    IF p_run_id IS NOT NULL
       AND NOT EXISTS (SELECT FROM steep_repl.runs s WHERE s.run_id = p_run_id AND s.op = ANY (p_ops)) THEN
        RAISE EXCEPTION '% % does not exist', p_noun, p_run_id
            USING ERRCODE = 'undefined_object', HINT = p_listing;
    END IF;
    -- job_progress() raises without shared_preload_libraries: only read it when it can answer.
    IF steep_repl.bgworker_available() THEN
        SELECT coalesce(jsonb_agg(to_jsonb(p)), '[]') INTO v_slots FROM steep_repl.job_progress() p;
    END IF;

    RETURN QUERY
    SELECT s.run_id,
           s.op,
           s.status,
           coalesce(p.phase, s.phase),
           CASE WHEN p.job_id IS NOT NULL THEN p.percent
                WHEN s.status = 'complete' THEN 100.0::double precision END,
           coalesce(p.items_done::integer, s.tables_completed),
           coalesce(p.items_total::integer, s.tables_total),
           p.current_item,
           CASE WHEN p.job_id IS NOT NULL THEN p.rows_done
                WHEN s.status = 'complete' THEN s.rows_total END,
           CASE WHEN p.job_id IS NOT NULL THEN p.bytes_done
                WHEN s.status = 'complete' THEN s.bytes_total END,
           CASE WHEN p.job_id IS NOT NULL THEN p.bytes_per_sec
                WHEN s.status = 'complete' AND s.finished_at > s.started_at
                    THEN s.bytes_total / extract(epoch FROM s.finished_at - s.started_at)::double precision END,
           -- What is left of the bytes, at the current rate; the total is estimated from percent.
           CASE WHEN p.job_id IS NOT NULL AND p.percent > 0 AND p.percent < 100 AND p.bytes_per_sec > 0
                    THEN make_interval(secs => round((p.bytes_done * (100 - p.percent) / p.percent
                                                      / p.bytes_per_sec)::numeric, 1)::double precision)
                WHEN s.status = 'complete' THEN interval '0' END,
           s.started_at,
           s.error_message
    FROM steep_repl.runs s
    LEFT JOIN jsonb_to_recordset(v_slots) AS p(job_id bigint, phase text, percent double precision,
                                               items_done bigint, items_total bigint, rows_done bigint,
                                               bytes_done bigint, current_item text, bytes_per_sec double precision)
        ON p.job_id = s.job_id AND s.status = 'running'
    WHERE s.op = ANY (p_ops)
      AND CASE WHEN p_run_id IS NULL THEN s.status IN ('pending', 'running')
               ELSE s.run_id = p_run_id END
    ORDER BY s.created_at, s.run_id;
END;
$$;

COMMENT ON FUNCTION steep_repl._run_progress(text, text[], text, text) IS
    'Internal (snapshot_progress, merge_progress): progress of one run of the given ops, or of every pending and running one';
