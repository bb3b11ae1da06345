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
-- One text form for every value on both nodes: the peer's session gets the same (below).
SET search_path = pg_catalog, pg_temp
SET TimeZone = 'UTC'
SET DateStyle = 'ISO, YMD'
SET IntervalStyle = 'postgres'
SET extra_float_digits = 3
SET bytea_output = 'hex'
SET lc_monetary = 'C'
AS $$
DECLARE
    v_connection constant text := 'steep_repl_overlap_peer';
    v_settings constant text := 'SET TimeZone = ''UTC''; SET DateStyle = ''ISO, YMD''; '
                                || 'SET IntervalStyle = ''postgres''; SET extra_float_digits = 3; '
                                || 'SET bytea_output = ''hex''; SET lc_monetary = ''C''; SET search_path = pg_catalog, pg_temp';
    v_rows_per_bucket bigint;
    v_dblink text;
    v_target text;
    v_name text;
    v_table regclass;
    v_shape record;
    v_remote record;
    v_sql record;
    v_started timestamptz;
    v_buckets bigint;
    v_count_sql text;
    v_bucket_sql text;
    v_rows_sql text;
    v_differing bigint[];
    v_local record;
    v_equal_rows bigint;
    v_fetched bigint;
    v_bytes bigint;
    v_key_option jsonb;
    v_key text[];
    v_keep boolean;
    v_kept jsonb := '[]';
BEGIN
    /*
     * For each table: how many rows exist on one node only, on both with
     * the same content, or on both with different content (docs/overlap.md).
     * Runs in the calling session with its privileges, here and on the peer
     * (reached like compare_schema reaches it).  Rows are paired by primary
     * key; columns are matched by name.  Transfer is sub-linear when the
     * nodes mostly agree: per bucket of keys, each side sends a row count and
     * the sum of its 60-bit row hashes (a sum, which two differences do not
     * cancel as XOR would); keys and row hashes cross only for buckets that
     * differ.
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
    IF p_options ? 'keep' AND jsonb_typeof(p_options -> 'keep') <> 'boolean' THEN
        RAISE EXCEPTION 'keep must be true or false'
            USING ERRCODE = 'invalid_parameter_value', HINT = 'e.g. {"keep": true}';
    END IF;
    v_keep := coalesce((p_options ->> 'keep')::boolean, false);
    IF p_options ? 'rows_per_bucket' AND (jsonb_typeof(p_options -> 'rows_per_bucket') <> 'number'
       OR (p_options ->> 'rows_per_bucket')::numeric NOT BETWEEN 10 AND 1000000
       OR (p_options ->> 'rows_per_bucket')::numeric <> trunc((p_options ->> 'rows_per_bucket')::numeric)) THEN
        RAISE EXCEPTION 'rows_per_bucket % is out of range', p_options -> 'rows_per_bucket'
            USING ERRCODE = 'invalid_parameter_value', HINT = 'rows_per_bucket is a whole number from 10 to 1000000.';
    END IF;
    IF p_options ? 'key_columns' AND jsonb_typeof(p_options -> 'key_columns') <> 'object' THEN
        RAISE EXCEPTION 'key_columns must be a JSON object'
            USING ERRCODE = 'invalid_parameter_value', HINT = 'e.g. {"key_columns": {"public.events": ["id", "at"]}}';
    END IF;
    v_rows_per_bucket := coalesce((p_options ->> 'rows_per_bucket')::bigint, 1000);

    v_target := steep_repl._peer_connect(p_peer, v_connection);
    v_dblink := steep_repl._dblink_schema();
    IF v_keep THEN
        INSERT INTO steep_repl.overlap_runs (peer, created_by)
        VALUES (v_target, steep_repl._current_role())
        RETURNING overlap_runs.run_id INTO run_id;
    END IF;
    BEGIN
        EXECUTE format('SELECT %I.dblink_exec($1, $2)', v_dblink) USING v_connection, v_settings;

        FOREACH v_name IN ARRAY p_tables LOOP
            v_started := clock_timestamp();
            v_table := to_regclass(v_name);
            IF v_table IS NULL THEN
                RAISE EXCEPTION 'table % does not exist', coalesce('"' || v_name || '"', 'NULL')
                    USING ERRCODE = 'undefined_table', HINT = 'Name each table as schema.table.';
            END IF;
            v_key_option := p_options -> 'key_columns' -> v_name;
            IF v_key_option IS NOT NULL AND jsonb_typeof(v_key_option) <> 'array' THEN
                RAISE EXCEPTION 'key_columns of % must be an array of column names', v_name
                    USING ERRCODE = 'invalid_parameter_value';
            END IF;
            v_key := CASE WHEN v_key_option IS NULL THEN NULL
                          ELSE ARRAY(SELECT jsonb_array_elements_text(v_key_option)) END;
            SELECT * INTO v_shape FROM steep_repl._overlap_table_shape(v_table, v_key);

            EXECUTE format('SELECT * FROM %I.dblink($1, $2) AS t(columns text[], key_columns text[])', v_dblink)
                USING v_connection, format(
                    'SELECT (SELECT pg_catalog.array_agg(a.attname::text ORDER BY a.attname::text COLLATE "C") '
                    || 'FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '
                    || '(SELECT pg_catalog.array_agg(a.attname::text ORDER BY k.o) FROM pg_catalog.pg_index i '
                    || 'CROSS JOIN LATERAL pg_catalog.unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, o) '
                    || 'JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum '
                    || 'WHERE i.indrelid = c.oid AND i.indisprimary) '
                    || 'FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace '
                    || 'WHERE n.nspname = %L AND c.relname = %L', v_shape.table_schema, v_shape.table_name)
                INTO v_remote;
            IF v_remote IS NULL OR v_remote.columns IS NULL THEN
                RAISE EXCEPTION 'table %.% does not exist on peer %', v_shape.table_schema, v_shape.table_name, v_target
                    USING ERRCODE = 'undefined_table',
                          HINT = 'steep_repl.compare_schema shows how the nodes'' tables differ.';
            END IF;
            IF v_remote.columns IS DISTINCT FROM v_shape.columns THEN
                RAISE EXCEPTION 'table %.% differs between the nodes: columns only here: %; only on peer %: %',
                                v_shape.table_schema, v_shape.table_name,
                                coalesce((SELECT string_agg(c, ', ') FROM unnest(v_shape.columns) c
                                          WHERE NOT c = ANY (v_remote.columns)), 'none'),
                                v_target,
                                coalesce((SELECT string_agg(c, ', ') FROM unnest(v_remote.columns) c
                                          WHERE NOT c = ANY (v_shape.columns)), 'none')
                    USING ERRCODE = 'object_not_in_prerequisite_state',
                          HINT = 'A schema difference blocks the analysis: steep_repl.column_diff names it.';
            END IF;
            IF v_key IS NULL AND v_remote.key_columns IS DISTINCT FROM v_shape.key_columns THEN
                RAISE EXCEPTION 'table %.% has another primary key on peer %: (%) here, (%) there',
                                v_shape.table_schema, v_shape.table_name, v_target,
                                array_to_string(v_shape.key_columns, ', '),
                                coalesce(array_to_string(v_remote.key_columns, ', '), 'none')
                    USING ERRCODE = 'object_not_in_prerequisite_state',
                          HINT = 'Name the key columns in the options (key_columns) to pair rows by them.';
            END IF;

            -- How many rows each side has decides the number of buckets.
            v_count_sql := format('SELECT pg_catalog.count(*) FROM %I.%I', v_shape.table_schema, v_shape.table_name);
            EXECUTE v_count_sql INTO local_rows;
            EXECUTE format('SELECT t.n FROM %I.dblink($1, $2) AS t(n bigint)', v_dblink)
                USING v_connection, v_count_sql INTO remote_rows;
            v_buckets := greatest(1, least(1000000, (greatest(local_rows, remote_rows) + v_rows_per_bucket - 1)
                                                    / v_rows_per_bucket));
            SELECT * INTO v_sql FROM steep_repl._overlap_row_sql(v_shape.table_schema, v_shape.table_name,
                                                                 v_shape.columns, v_shape.key_columns, v_buckets);
            v_bucket_sql := format('SELECT %s AS b, pg_catalog.count(*) AS n, pg_catalog.sum(%s)::pg_catalog.numeric AS s '
                                   || 'FROM %s GROUP BY 1', v_sql.bucket, v_sql.row_hash, v_sql.relation);

            -- Buckets whose count or hash sum differ; rows of the others match.
            -- The peer hashes its rows while this node hashes its own: the
            -- query is sent first, this side's result kept, the peer's read after.
            EXECUTE format('SELECT %I.dblink_send_query($1, $2)', v_dblink) USING v_connection, v_bucket_sql;
            EXECUTE format('SELECT pg_catalog.array_agg(l.b) AS b, pg_catalog.array_agg(l.n) AS n, pg_catalog.array_agg(l.s) AS s '
                           || 'FROM (%s) l', v_bucket_sql) INTO v_local;
            EXECUTE format(
                'WITH l AS (SELECT * FROM ROWS FROM (pg_catalog.unnest($2::pg_catalog.int8[]), pg_catalog.unnest($3::pg_catalog.int8[]), '
                || 'pg_catalog.unnest($4::pg_catalog.numeric[])) AS l(b, n, s)), '
                || 'r AS (SELECT t.*, pg_catalog.octet_length(t::text) AS w FROM %I.dblink_get_result($1) AS t(b bigint, n bigint, s numeric)) '
                || 'SELECT pg_catalog.array_agg(coalesce(l.b, r.b)) FILTER (WHERE l.n IS DISTINCT FROM r.n OR l.s IS DISTINCT FROM r.s), '
                || 'coalesce(pg_catalog.sum(l.n) FILTER (WHERE l.n = r.n AND l.s = r.s), 0), '
                || 'pg_catalog.count(r.b), coalesce(pg_catalog.sum(r.w), 0) '
                || 'FROM l FULL JOIN r ON r.b = l.b', v_dblink)
                USING v_connection, v_local.b, v_local.n, v_local.s
                INTO v_differing, v_equal_rows, v_fetched, v_bytes;
            -- The second read finds no result: the connection is free again.
            EXECUTE format('SELECT pg_catalog.count(*) FROM %I.dblink_get_result($1) AS t(b bigint)', v_dblink)
                USING v_connection;

            matches := v_equal_rows;
            conflicts := 0;
            local_only := 0;
            remote_only := 0;
            IF v_differing IS NOT NULL THEN
                v_rows_sql := format('SELECT %s AS k, %s AS h FROM %s WHERE %s = ANY (%L::pg_catalog.int8[])',
                                     v_sql.key_text, v_sql.row_hash, v_sql.relation, v_sql.bucket, v_differing);
                -- Keys cross only for these buckets; kept, those of unequal rows
                -- are stored.  Both sides again at once, as above.
                EXECUTE format('SELECT %I.dblink_send_query($1, $2)', v_dblink) USING v_connection, v_rows_sql;
                EXECUTE format('SELECT pg_catalog.array_agg(l.k) AS k, pg_catalog.array_agg(l.h) AS h FROM (%s) l', v_rows_sql)
                    INTO v_local;
                EXECUTE format(
                    'WITH l AS (SELECT * FROM ROWS FROM (pg_catalog.unnest($4::pg_catalog.text[]), pg_catalog.unnest($5::pg_catalog.int8[])) AS l(k, h)), '
                    || 'r AS (SELECT t.*, pg_catalog.octet_length(t::text) AS w FROM %I.dblink_get_result($1) AS t(k text, h bigint)), '
                    || 'j AS (SELECT coalesce(l.k, r.k) AS k, r.w, CASE WHEN l.k IS NULL THEN ''remote_only'' '
                    || 'WHEN r.k IS NULL THEN ''local_only'' WHEN l.h = r.h THEN ''match'' ELSE ''conflict'' END AS c '
                    || 'FROM l FULL JOIN r ON r.k = l.k), '
                    || 'kept AS (INSERT INTO steep_repl.overlap_keys (run_id, table_name, category, key_text) '
                    || 'SELECT $2, $3, j.c, j.k FROM j WHERE $2 IS NOT NULL AND j.c <> ''match'' RETURNING 1) '
                    || 'SELECT pg_catalog.count(*) FILTER (WHERE c = ''match''), '
                    || 'pg_catalog.count(*) FILTER (WHERE c = ''conflict''), '
                    || 'pg_catalog.count(*) FILTER (WHERE c = ''local_only''), '
                    || 'pg_catalog.count(*) FILTER (WHERE c = ''remote_only''), '
                    || 'pg_catalog.count(w), coalesce(pg_catalog.sum(w), 0) FROM j', v_dblink)
                    USING v_connection, run_id, format('%s.%s', v_shape.table_schema, v_shape.table_name),
                          v_local.k, v_local.h
                    INTO v_equal_rows, conflicts, local_only, remote_only, rows_fetched, bytes_fetched;
                EXECUTE format('SELECT pg_catalog.count(*) FROM %I.dblink_get_result($1) AS t(k text)', v_dblink)
                    USING v_connection;
                matches := matches + v_equal_rows;
            ELSE
                rows_fetched := 0;
                bytes_fetched := 0;
            END IF;
            rows_fetched := rows_fetched + v_fetched;
            bytes_fetched := bytes_fetched + v_bytes;
            table_name := format('%s.%s', v_shape.table_schema, v_shape.table_name);
            buckets := v_buckets;
            buckets_differing := coalesce(cardinality(v_differing), 0);
            duration := clock_timestamp() - v_started;
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
