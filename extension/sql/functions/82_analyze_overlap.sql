CREATE FUNCTION steep_repl.analyze_overlap(
    p_peer text,
    p_tables text[],
    p_options jsonb DEFAULT '{}'
)
RETURNS TABLE (
    table_name text,
    local_rows bigint,
    remote_rows bigint,
    matches bigint,
    conflicts bigint,
    local_only bigint,
    remote_only bigint,
    buckets integer,
    buckets_differing integer,
    rows_fetched bigint,
    bytes_fetched bigint,
    duration interval,
    run_id bigint
)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_connection constant text := 'steep_repl_overlap_peer';
    v_dblink text;
    v_target text;
    v_name text;
    v_row record;
    v_keep boolean;
    v_kept jsonb := '[]';
BEGIN
    /*
     * For each table: how many rows exist on one node only, on both with
     * the same content, or on both with different content (docs/overlap.md).
     * Runs in the calling session with its privileges, here and on the peer
     * (reached like compare_schema reaches it).  Rows are paired by primary
     * key; columns are matched by name.  Transfer is sub-linear when the
     * nodes mostly agree: per bucket of keys, each side sends the sums of its
     * row hashes (sums, which two differences do not cancel as XOR would),
     * differing buckets are split and compared again, and keys and row hashes
     * cross only for the small buckets that still differ (_overlap_table).
     */
    IF p_tables IS NULL OR cardinality(p_tables) = 0 THEN
        RAISE EXCEPTION 'no tables given'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Name the tables to analyze, e.g. ARRAY[''public.users''].';
    END IF;
    IF p_options IS NULL OR jsonb_typeof(p_options) <> 'object' THEN
        RAISE EXCEPTION 'options must be a JSON object'
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Pass ''{}'' for the defaults.';
    END IF;
    SELECT string_agg(k, ', ') INTO v_name
    FROM jsonb_object_keys(p_options) AS k WHERE k NOT IN ('key_columns', 'rows_per_bucket', 'keep');
    IF v_name IS NOT NULL THEN
        RAISE EXCEPTION 'unknown option(s): %', v_name
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Options are key_columns ({"schema.table": ["column", ...]}), rows_per_bucket (10 to 1000000) '
                         || 'and keep (true: keep the result and the differing keys, see overlap_details).';
    END IF;
    PERFORM steep_repl._overlap_check_options(p_options);
    v_keep := coalesce((p_options ->> 'keep')::boolean, false);

    v_target := steep_repl._overlap_connect(p_peer, v_connection);
    v_dblink := steep_repl._dblink_schema();
    IF v_keep THEN
        INSERT INTO steep_repl.overlap_runs (peer, created_by)
        VALUES (v_target, steep_repl._current_role())
        RETURNING overlap_runs.run_id INTO run_id;
    END IF;
    BEGIN
        FOREACH v_name IN ARRAY p_tables LOOP
            SELECT * INTO v_row FROM steep_repl._overlap_table(v_connection, v_target, v_name, p_options, run_id) o;
            table_name := v_row.table_name;
            local_rows := v_row.local_rows;
            remote_rows := v_row.remote_rows;
            matches := v_row.matches;
            conflicts := v_row.conflicts;
            local_only := v_row.local_only;
            remote_only := v_row.remote_only;
            buckets := v_row.buckets;
            buckets_differing := v_row.buckets_differing;
            rows_fetched := v_row.rows_fetched;
            bytes_fetched := v_row.bytes_fetched;
            duration := v_row.duration;
            v_kept := v_kept || jsonb_build_object('table_name', table_name, 'local_rows', local_rows,
                'remote_rows', remote_rows, 'matches', matches, 'conflicts', conflicts,
                'local_only', local_only, 'remote_only', remote_only);
            RETURN NEXT;
        END LOOP;
        IF v_keep THEN
            UPDATE steep_repl.overlap_runs o SET tables = v_kept WHERE o.run_id = analyze_overlap.run_id;
        END IF;
    EXCEPTION WHEN OTHERS THEN
        EXECUTE format('SELECT %I.dblink_disconnect($1)', v_dblink) USING v_connection;
        RAISE;
    END;
    EXECUTE format('SELECT %I.dblink_disconnect($1)', v_dblink) USING v_connection;
END;
$$;

COMMENT ON FUNCTION steep_repl.analyze_overlap(text, text[], jsonb) IS
    'Per table: rows on both nodes (equal or conflicting) and on one only, compared by primary key through canonical row hashes; only buckets that differ are fetched from the peer; {"keep": true} keeps the result (run_id)';
