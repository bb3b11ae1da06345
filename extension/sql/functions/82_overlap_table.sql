-- The pieces analyze_overlap and the merge share: the peer session, a table's key, one table's analysis.

CREATE FUNCTION steep_repl._overlap_connect(p_peer text, p_connection text)
RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_target text;
BEGIN
    /*
     * Opens the dblink connection to the peer (_peer_connect) and gives its
     * session the settings the row text forms depend on, the same as the
     * SET clauses of the overlap and merge functions here, so that a row
     * has one text form, and one hash, on both nodes.
     */
    v_target := steep_repl._peer_connect(p_peer, p_connection);
    EXECUTE format('SELECT %I.dblink_exec($1, $2)', steep_repl._dblink_schema())
        USING p_connection,
              'SET TimeZone = ''UTC''; SET DateStyle = ''ISO, YMD''; SET IntervalStyle = ''postgres''; '
              || 'SET extra_float_digits = 3; SET bytea_output = ''hex''; SET lc_monetary = ''C''; '
              || 'SET search_path = pg_catalog, pg_temp';
    RETURN v_target;
END;
$$;

COMMENT ON FUNCTION steep_repl._overlap_connect(text, text) IS
    'Internal: opens the dblink connection to a peer with the session settings that make row text forms canonical; returns the peer''s name for messages';

CREATE FUNCTION steep_repl._overlap_key_option(p_options jsonb, p_table text)
RETURNS text[]
LANGUAGE plpgsql
IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_key jsonb := p_options -> 'key_columns' -> p_table;
BEGIN
    /* The key columns the options name for a table, or NULL for its primary key. */
    IF v_key IS NOT NULL AND jsonb_typeof(v_key) <> 'array' THEN
        RAISE EXCEPTION 'key_columns of % must be an array of column names', p_table
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'e.g. {"key_columns": {"public.events": ["id", "at"]}}';
    END IF;
    RETURN CASE WHEN v_key IS NULL THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(v_key)) END;
END;
$$;

COMMENT ON FUNCTION steep_repl._overlap_key_option(jsonb, text) IS
    'Internal: the key columns options.key_columns names for a table, or NULL (its primary key)';

CREATE FUNCTION steep_repl._overlap_check_options(p_options jsonb)
RETURNS void
LANGUAGE plpgsql
IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    /* The analysis options analyze_overlap and start_merge share: keep, rows_per_bucket, key_columns. */
    IF p_options ? 'keep' AND jsonb_typeof(p_options -> 'keep') <> 'boolean' THEN
        RAISE EXCEPTION 'keep must be true or false'
            USING ERRCODE = 'invalid_parameter_value', HINT = 'e.g. {"keep": true}';
    END IF;
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
END;
$$;

COMMENT ON FUNCTION steep_repl._overlap_check_options(jsonb) IS
    'Internal: checks the analysis options (keep, rows_per_bucket, key_columns) of analyze_overlap and start_merge';

CREATE FUNCTION steep_repl._overlap_table(
    p_connection text,
    p_target text,
    p_table text,
    p_options jsonb,
    p_run_id bigint DEFAULT NULL
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
    duration interval
)
LANGUAGE plpgsql
-- One text form for every value on both nodes (the peer's session: _overlap_connect).
SET search_path = pg_catalog, pg_temp
SET TimeZone = 'UTC'
SET DateStyle = 'ISO, YMD'
SET IntervalStyle = 'postgres'
SET extra_float_digits = 3
SET bytea_output = 'hex'
SET lc_monetary = 'C'
-- The bucket queries group by a hash whose number of values the planner cannot
-- know (it assumes one group a row, and would sort): they hash, in memory.
-- The peer's session gets the same settings (v_planner) while it answers them.
SET enable_sort = off
SET work_mem = '64MB'
AS $$
DECLARE
    v_rows_per_bucket bigint := coalesce((p_options ->> 'rows_per_bucket')::bigint, 64);
    -- rows a bucket of the last level holds, on average, when there are enough
    v_leaf_rows constant bigint := 8;
    -- the most buckets a level has: 2^17 sums fit work_mem
    v_max_bits constant integer := 17;
    -- bits a level adds below the one before (16 sub-buckets)
    v_step_bits constant integer := 4;
    -- the probe both nodes must hash alike for hashtextextended / hashint8extended to be used
    v_probe constant text := 'SELECT pg_catalog.array_agg(pg_catalog.hashtextextended(pg_catalog.left('
        || '''Pack my box with five dozen liquor jugs, 0123456789 ~!@#$%^&*()'', n) COLLATE pg_catalog."C", n) ORDER BY n) '
        || '|| pg_catalog.array_agg(pg_catalog.hashint8extended(n * 360287970189639 - 9007199254740992, n) ORDER BY n) '
        || 'FROM pg_catalog.generate_series(0, 63) AS n';
    -- the settings above that the peer's session takes for the bucket queries
    v_planner constant text[] := ARRAY['enable_sort', 'work_mem'];
    v_dblink text := steep_repl._dblink_schema();
    v_table regclass;
    v_shape record;
    v_remote record;
    v_sql record;
    v_started timestamptz;
    v_plan json;
    v_relation text;
    v_estimate float8;
    v_hash text;
    v_probed bigint[];
    v_types text[];
    v_bits integer;
    v_leaf_bits integer;
    v_parent_bits integer;
    v_parents bigint[];
    v_level record;
    v_rows_sql text;
    v_differing bigint[];
    v_local record;
    v_keys record;
    v_key text[];
BEGIN
    /*
     * One table of an overlap analysis over the open dblink connection
     * p_connection (see analyze_overlap for the method).  With p_run_id the
     * keys of the rows that are not equal on both nodes are kept in
     * overlap_keys under that run.
     */
    v_started := clock_timestamp();
    v_table := to_regclass(p_table);
    IF v_table IS NULL THEN
        RAISE EXCEPTION 'table % does not exist', coalesce('"' || p_table || '"', 'NULL')
            USING ERRCODE = 'undefined_table', HINT = 'Name each table as schema.table.';
    END IF;
    v_key := steep_repl._overlap_key_option(p_options, p_table);
    SELECT * INTO v_shape FROM steep_repl._overlap_table_shape(v_table, v_key);

    EXECUTE format('SELECT * FROM %I.dblink($1, $2) AS t(columns text[], types text[], key_columns text[], probe bigint[])', v_dblink)
        USING p_connection, format(
            'SELECT (SELECT pg_catalog.array_agg(a.attname::text ORDER BY a.attname::text COLLATE "C") '
            || 'FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '
            || '(SELECT pg_catalog.array_agg(pg_catalog.format_type(a.atttypid, NULL) ORDER BY a.attname::text COLLATE "C") '
            || 'FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '
            || '(SELECT pg_catalog.array_agg(a.attname::text ORDER BY k.o) FROM pg_catalog.pg_index i '
            || 'CROSS JOIN LATERAL pg_catalog.unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, o) '
            || 'JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum '
            || 'WHERE i.indrelid = c.oid AND i.indisprimary), (%s) '
            || 'FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace '
            || 'WHERE n.nspname = %L AND c.relname = %L', v_probe, v_shape.table_schema, v_shape.table_name)
        INTO v_remote;
    IF v_remote IS NULL OR v_remote.columns IS NULL THEN
        RAISE EXCEPTION 'table %.% does not exist on peer %', v_shape.table_schema, v_shape.table_name, p_target
            USING ERRCODE = 'undefined_table',
                  HINT = 'steep_repl.compare_schema shows how the nodes'' tables differ.';
    END IF;
    IF v_remote.columns IS DISTINCT FROM v_shape.columns THEN
        RAISE EXCEPTION 'table %.% differs between the nodes: columns only here: %; only on peer %: %',
                        v_shape.table_schema, v_shape.table_name,
                        coalesce((SELECT string_agg(c, ', ') FROM unnest(v_shape.columns) c
                                  WHERE NOT c = ANY (v_remote.columns)), 'none'),
                        p_target,
                        coalesce((SELECT string_agg(c, ', ') FROM unnest(v_remote.columns) c
                                  WHERE NOT c = ANY (v_shape.columns)), 'none')
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'A schema difference blocks the analysis: steep_repl.column_diff names it.';
    END IF;
    IF v_key IS NULL AND v_remote.key_columns IS DISTINCT FROM v_shape.key_columns THEN
        RAISE EXCEPTION 'table %.% has another primary key on peer %: (%) here, (%) there',
                        v_shape.table_schema, v_shape.table_name, p_target,
                        array_to_string(v_shape.key_columns, ', '),
                        coalesce(array_to_string(v_remote.key_columns, ', '), 'none')
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Name the key columns in the options (key_columns) to pair rows by them.';
    END IF;

    /*
     * The planner's estimate of the rows (no count ahead) sets the levels:
     * the top one with about rows_per_bucket rows a bucket, each one below
     * 2^v_step_bits times finer, the last with about v_leaf_rows rows a
     * bucket.
     */
    v_relation := format('%I.%I', v_shape.table_schema, v_shape.table_name);
    EXECUTE format('EXPLAIN (FORMAT JSON) SELECT FROM %s', v_relation) INTO v_plan;
    v_estimate := (v_plan -> 0 -> 'Plan' ->> 'Plan Rows')::float8;
    EXECUTE format('SELECT t.p FROM %I.dblink($1, $2) AS t(p json)', v_dblink)
        USING p_connection, format('EXPLAIN (FORMAT JSON) SELECT FROM %s', v_relation) INTO v_plan;
    v_estimate := greatest(v_estimate, (v_plan -> 0 -> 'Plan' ->> 'Plan Rows')::float8, 1);
    v_bits := least(v_max_bits, greatest(0, round(log(2, (v_estimate / v_rows_per_bucket)::numeric))))::integer;
    v_leaf_bits := least(v_max_bits, greatest(v_bits, round(log(2, (v_estimate / v_leaf_rows)::numeric))))::integer;

    /*
     * The hash: hashtextextended and hashint8extended when both nodes hash
     * a probe alike (they could differ by byte order or version), else md5.
     * A key of one integer column on both nodes is hashed by its value.
     */
    EXECUTE v_probe INTO v_probed;
    v_hash := CASE WHEN v_probed = v_remote.probe THEN 'builtin' ELSE 'md5' END;
    SELECT array_agg(format_type(a.atttypid, NULL) ORDER BY a.attname::text COLLATE "C") INTO v_types
    FROM pg_catalog.pg_attribute a WHERE a.attrelid = v_table AND a.attnum > 0 AND NOT a.attisdropped;
    SELECT * INTO v_sql FROM steep_repl._overlap_row_sql(
        v_shape.table_schema, v_shape.table_name, v_shape.columns, v_shape.key_columns, v_hash,
        cardinality(v_shape.key_columns) = 1
        AND (SELECT bool_and(t.t IN ('smallint', 'integer', 'bigint'))
             FROM unnest(ARRAY[v_types[array_position(v_shape.columns, v_shape.key_columns[1])],
                               v_remote.types[array_position(v_remote.columns, v_shape.key_columns[1])]]) AS t(t)),
        v_bits);
    EXECUTE format('SELECT %I.dblink_exec($1, $2)', v_dblink)
        USING p_connection, (SELECT string_agg(format('SET %s = %L', n, current_setting(n)), '; ') FROM unnest(v_planner) AS n);

    /*
     * Level by level, both nodes at once: the sums of the top buckets, then
     * of the sub-buckets of those that differ, while fewer than half of a
     * level's buckets differ (else finer ones would hardly differ less).
     */
    v_parents := NULL;
    v_parent_bits := 0;
    rows_fetched := 0;
    bytes_fetched := 0;
    LOOP
        SELECT * INTO v_level FROM steep_repl._overlap_level(p_connection, steep_repl._overlap_level_sql(
            v_sql.relation, v_sql.key_hash, v_sql.row_hash, v_parents, v_parent_bits, v_bits));
        v_differing := steep_repl._overlap_differing(v_parents, v_parent_bits, v_bits,
                                                     v_level.local_sums, v_level.remote_sums);
        rows_fetched := rows_fetched + coalesce(cardinality(v_parents), 1) * (1::bigint << (v_bits - v_parent_bits));
        bytes_fetched := bytes_fetched + v_level.bytes;
        IF v_parents IS NULL THEN
            local_rows := coalesce(v_level.local_rows, 0);
            remote_rows := coalesce(v_level.remote_rows, 0);
            buckets := 1 << v_bits;
            buckets_differing := coalesce(cardinality(v_differing), 0);
        END IF;
        EXIT WHEN v_differing IS NULL OR v_bits >= v_leaf_bits
                  OR cardinality(v_differing) * 2 > (coalesce(cardinality(v_parents), 1) << (v_bits - v_parent_bits));
        v_parents := v_differing;
        v_parent_bits := v_bits;
        v_bits := least(v_leaf_bits, v_bits + v_step_bits);
    END LOOP;
    EXECUTE format('SELECT %I.dblink_exec($1, $2)', v_dblink)
        USING p_connection, (SELECT string_agg(format('RESET %s', n), '; ') FROM unnest(v_planner) AS n);

    matches := local_rows;
    conflicts := 0;
    local_only := 0;
    remote_only := 0;
    IF v_differing IS NOT NULL THEN
        -- The rows of the buckets that differ (all rows when every bucket does).
        v_rows_sql := format('SELECT %s AS k, %s AS h FROM %s %s', v_sql.key_text, v_sql.row_hash, v_sql.relation,
                             CASE WHEN cardinality(v_differing) < (1::bigint << v_bits) THEN
                                 format('WHERE (%s & %s) = ANY (%L::pg_catalog.int8[])',
                                        v_sql.key_hash, (1::bigint << v_bits) - 1, v_differing)
                             ELSE '' END);
        -- Keys cross only for these buckets; kept, those of unequal rows
        -- are stored.  Both sides at once, as the levels.
        EXECUTE format('SELECT %I.dblink_send_query($1, $2)', v_dblink) USING p_connection, v_rows_sql;
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
            || 'SELECT pg_catalog.count(*) FILTER (WHERE c = ''match'') AS matches, '
            || 'pg_catalog.count(*) FILTER (WHERE c = ''conflict'') AS conflicts, '
            || 'pg_catalog.count(*) FILTER (WHERE c = ''local_only'') AS local_only, '
            || 'pg_catalog.count(*) FILTER (WHERE c = ''remote_only'') AS remote_only, '
            || 'pg_catalog.count(w) AS fetched, coalesce(pg_catalog.sum(w), 0) AS bytes FROM j', v_dblink)
            USING p_connection, p_run_id, format('%s.%s', v_shape.table_schema, v_shape.table_name),
                  v_local.k, v_local.h
            INTO v_keys;
        EXECUTE format('SELECT pg_catalog.count(*) FROM %I.dblink_get_result($1) AS t(k text)', v_dblink)
            USING p_connection;
        -- Rows outside these buckets are equal on both nodes.
        matches := local_rows - coalesce(cardinality(v_local.k), 0) + v_keys.matches;
        conflicts := v_keys.conflicts;
        local_only := v_keys.local_only;
        remote_only := v_keys.remote_only;
        rows_fetched := rows_fetched + v_keys.fetched;
        bytes_fetched := bytes_fetched + v_keys.bytes;
    END IF;
    table_name := format('%s.%s', v_shape.table_schema, v_shape.table_name);
    duration := clock_timestamp() - v_started;
    RETURN NEXT;
END;
$$;

COMMENT ON FUNCTION steep_repl._overlap_table(text, text, text, jsonb, bigint) IS
    'Internal (analyze_overlap, merge): one table''s overlap counts over an open peer connection; with a run id, keeps the keys of unequal rows';
