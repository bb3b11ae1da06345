CREATE FUNCTION steep_repl._merge_table(
    p_merge_id text,
    p_token text,
    p_connection text,
    p_target text,
    p_table text,
    p_strategy text,
    p_timestamp_column text,
    p_self_referencing boolean,
    p_dry_run boolean,
    p_options jsonb
)
RETURNS jsonb
LANGUAGE plpgsql
-- One text form for every value on both nodes (the peer's session: _overlap_connect).
SET search_path = pg_catalog, pg_temp
SET TimeZone = 'UTC'
SET DateStyle = 'ISO, YMD'
SET IntervalStyle = 'postgres'
SET extra_float_digits = 3
SET bytea_output = 'hex'
SET lc_monetary = 'C'
AS $$
DECLARE
    -- rows per statement sent to the peer; a table that references itself sends all in one
    v_batch_rows constant bigint := CASE WHEN p_self_referencing THEN 9223372036854775807 ELSE 10000 END;
    v_dblink constant text := steep_repl._dblink_schema();
    v_table constant regclass := to_regclass(p_table);
    v_timeout bigint;
    v_shape record;
    v_sql record;
    v_rel text;
    v_name text;
    v_columns text;
    v_set text;
    v_key_match text;
    v_ts text;
    v_run bigint;
    v_counts record;
    v_keys text[];
    -- the images of the rows that differ, key by key: here and on the peer
    v_local_keys text[];
    v_local_rows json[];
    v_local_times timestamptz[];
    v_remote_keys text[];
    v_remote_rows json[];
    v_remote_times timestamptz[];
    -- the decisions, one element each, in key order; images NULL where a node has no row
    v_d_keys text[];
    v_d_categories text[];
    v_d_resolutions text[];
    v_d_reasons text[];
    v_d_local json[];
    v_d_remote json[];
    v_batch json;
    v_expected bigint;
    v_done bigint;
    v_status text;
    v_answer text;
    v_result jsonb;
BEGIN
    /*
     * One table of a merge job, in the job session's open transaction and
     * the peer's (opened here, ended by _merge_peer_end after this
     * transaction commits).  Writes to the table are blocked on both nodes
     * (SHARE ROW EXCLUSIVE, at most lock_timeout) before the analysis, so
     * the decisions rest on a view nothing changes until the end; a dry run
     * takes no locks, writes nothing to the table, and reads the peer in a
     * read-only transaction.  Rows cross as to_json images and are rebuilt
     * with json_populate_recordset, which matches columns by name: json,
     * unlike jsonb, keeps each value's text as its type printed it (a json
     * column's spaces and repeated keys, a double's -0), so a row arrives
     * equal to the row it copies.
     * Deferrable constraints are made immediate on both nodes.  Every
     * statement must touch exactly the rows decided, or the table's merge
     * is undone (a trigger that skips a row, a policy that hides one).
     */
    SELECT * INTO v_shape FROM steep_repl._overlap_table_shape(v_table, steep_repl._overlap_key_option(p_options, p_table));
    v_rel := format('%I.%I', v_shape.table_schema, v_shape.table_name);
    v_name := format('%s.%s', v_shape.table_schema, v_shape.table_name);
    SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum),
           string_agg(format('%I = v.%I', a.attname, a.attname), ', ' ORDER BY a.attnum)
               FILTER (WHERE NOT a.attname::text = ANY (v_shape.key_columns))
    INTO v_columns, v_set
    FROM pg_catalog.pg_attribute a
    WHERE a.attrelid = v_table AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '';
    SELECT string_agg(format('t.%I = v.%I', k, k), ' AND ') INTO v_key_match FROM unnest(v_shape.key_columns) AS k;
    v_ts := CASE WHEN p_strategy <> 'last-modified' THEN 'NULL::pg_catalog.timestamptz'
                 WHEN p_timestamp_column IS NOT NULL THEN format('t.%I::pg_catalog.timestamptz', p_timestamp_column)
                 ELSE 'pg_catalog.pg_xact_commit_timestamp(t.xmin)' END;
    SELECT * INTO v_sql FROM steep_repl._overlap_row_sql(v_shape.table_schema, v_shape.table_name,
                                                         v_shape.columns, v_shape.key_columns);

    IF p_dry_run THEN
        EXECUTE format('SELECT %I.dblink_exec($1, $2)', v_dblink) USING p_connection, 'BEGIN READ ONLY';
    ELSE
        -- Deferred constraints are checked at each statement's end on both nodes: on the peer,
        -- a check left to its COMMIT would fail after this node committed; here, the job's
        -- security-restricted session cannot fire deferred triggers at all (docs/worker.md).
        SET CONSTRAINTS ALL IMMEDIATE;
        v_timeout := (extract(epoch FROM steep_repl._merge_lock_timeout(p_options)) * 1000)::bigint;
        PERFORM set_config('lock_timeout', v_timeout::text, true);
        BEGIN
            EXECUTE format('LOCK TABLE %s IN SHARE ROW EXCLUSIVE MODE', v_rel);
        EXCEPTION WHEN lock_not_available THEN
            RAISE EXCEPTION 'could not lock table % on this node within % ms: another session is writing to it', v_name, v_timeout
                USING ERRCODE = 'lock_not_available',
                      HINT = 'A merge blocks writes to each table while it merges it. Retry when the writers are done, '
                             || 'or give a longer lock_timeout; pg_locks shows who holds the table.';
        END;
        BEGIN
            EXECUTE format('SELECT %I.dblink_exec($1, $2)', v_dblink)
                USING p_connection, format('BEGIN; SET CONSTRAINTS ALL IMMEDIATE; SET LOCAL lock_timeout = %s; '
                                           || 'LOCK TABLE %s IN SHARE ROW EXCLUSIVE MODE', v_timeout, v_rel);
        EXCEPTION WHEN lock_not_available THEN
            RAISE EXCEPTION 'could not lock table % on peer % within % ms: another session is writing to it', v_name, p_target, v_timeout
                USING ERRCODE = 'lock_not_available',
                      HINT = 'A merge blocks writes to each table while it merges it. Retry when the writers are done, '
                             || 'or give a longer lock_timeout; pg_locks on the peer shows who holds the table.';
        END;
    END IF;

    -- What differs, under the locks (or, in a dry run, from a kept analysis when one is named).
    IF p_options ? 'overlap_run' THEN
        v_run := (p_options ->> 'overlap_run')::bigint;
        SELECT (t ->> 'matches')::bigint AS matches, (t ->> 'local_only')::bigint AS local_only,
               (t ->> 'remote_only')::bigint AS remote_only, (t ->> 'conflicts')::bigint AS conflicts
        INTO v_counts
        FROM steep_repl.overlap_runs o, jsonb_array_elements(o.tables) AS t
        WHERE o.run_id = v_run AND t ->> 'table_name' = v_name;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'the kept analysis % has no table %', v_run, v_name
                USING ERRCODE = 'invalid_parameter_value',
                      HINT = 'Keep an analysis of every table the dry run plans (analyze_overlap with {"keep": true}).';
        END IF;
    ELSE
        INSERT INTO steep_repl.overlap_runs (peer, created_by) VALUES (p_target, steep_repl._current_role())
        RETURNING run_id INTO v_run;
        SELECT * INTO v_counts FROM steep_repl._overlap_table(p_connection, p_target, p_table, p_options, v_run);
    END IF;

    /*
     * The images of the rows that differ: the local ones from here, the
     * peer's through dblink.  They stay json values in arrays from here on:
     * json is text, and each pass over one large json document (an array
     * of 100,000 decisions) parses all of it again.
     */
    EXECUTE format(
        'SELECT pg_catalog.array_agg(x.k), pg_catalog.array_agg(x.j), pg_catalog.array_agg(x.ts) '
        || 'FROM (SELECT %s AS k, pg_catalog.to_json(t.*) AS j, %s AS ts FROM %s t) x '
        || 'WHERE x.k IN (SELECT o.key_text FROM steep_repl.overlap_keys o '
        || 'WHERE o.run_id = $1 AND o.table_name = $2 AND o.category IN (''local_only'', ''conflict''))',
        v_sql.key_text, v_ts, v_rel)
        USING v_run, v_name INTO v_local_keys, v_local_rows, v_local_times;
    SELECT array_agg(o.key_text) INTO v_keys FROM steep_repl.overlap_keys o
    WHERE o.run_id = v_run AND o.table_name = v_name AND o.category IN ('remote_only', 'conflict');
    IF v_keys IS NOT NULL THEN
        EXECUTE format('SELECT pg_catalog.array_agg(r.k), pg_catalog.array_agg(r.j), pg_catalog.array_agg(r.ts) '
                       || 'FROM %I.dblink($1, $2) AS r(k text, j json, ts timestamptz)', v_dblink)
            USING p_connection, format(
                'SELECT x.k, x.j, x.ts FROM (SELECT %s AS k, pg_catalog.to_json(t.*) AS j, %s AS ts FROM %s t) x '
                || 'WHERE x.k IN (SELECT pg_catalog.unnest(%L::pg_catalog.text[]))', v_sql.key_text, v_ts, v_rel, v_keys)
            INTO v_remote_keys, v_remote_rows, v_remote_times;
    END IF;

    -- One decision per key that is not equal on both nodes (docs/merge.md, Strategies).
    -- Run with the arrays' values at hand, so the planner knows their sizes (a plan for
    -- unknown arrays guesses 10 elements and may loop over one side for each of the other's).
    EXECUTE $q$
    WITH k AS (SELECT o.key_text, o.category FROM steep_repl.overlap_keys o WHERE o.run_id = $1 AND o.table_name = $2),
         l AS (SELECT * FROM ROWS FROM (pg_catalog.unnest($3), pg_catalog.unnest($4), pg_catalog.unnest($5)) AS l(k, j, ts)),
         r AS (SELECT * FROM ROWS FROM (pg_catalog.unnest($6), pg_catalog.unnest($7), pg_catalog.unnest($8)) AS r(k, j, ts)),
         d AS (SELECT k.key_text, k.category, l.j AS local_row, r.j AS remote_row, l.ts AS lts, r.ts AS rts,
                      -- last-modified: the later wins; no time is older than any; a tie goes to the
                      -- image whose JSON text (as recorded, jsonb) sorts last in byte order, the same
                      -- from either node
                      CASE WHEN $9 <> 'last-modified' THEN NULL
                           WHEN l.ts IS NOT DISTINCT FROM r.ts THEN l.j::jsonb::text COLLATE "C" >= r.j::jsonb::text COLLATE "C"
                           ELSE r.ts IS NULL OR l.ts > r.ts END AS local_later
               FROM k LEFT JOIN l ON l.k = k.key_text LEFT JOIN r ON r.k = k.key_text),
         e AS (SELECT d.key_text, d.category, d.local_row, d.remote_row,
                      CASE d.category WHEN 'local_only' THEN 'to_peer' WHEN 'remote_only' THEN 'to_local'
                           ELSE CASE $9 WHEN 'prefer-local' THEN 'to_peer' WHEN 'prefer-remote' THEN 'to_local'
                                                WHEN 'manual' THEN 'left'
                                                ELSE CASE WHEN d.local_later THEN 'to_peer' ELSE 'to_local' END END END AS resolution,
                      CASE WHEN d.category = 'conflict' AND $9 = 'last-modified' THEN
                               pg_catalog.format('here %s, on the peer %s%s', coalesce(d.lts::text, 'no time'), coalesce(d.rts::text, 'no time'),
                                      CASE WHEN d.lts IS NOT DISTINCT FROM d.rts THEN ' (a tie: the row image that sorts last wins)' ELSE '' END)
                      END AS reason
               FROM d ORDER BY d.key_text COLLATE "C")
    SELECT pg_catalog.array_agg(e.key_text), pg_catalog.array_agg(e.category), pg_catalog.array_agg(e.resolution),
           pg_catalog.array_agg(e.reason),
           pg_catalog.array_agg(e.local_row), pg_catalog.array_agg(e.remote_row) FROM e $q$
    USING v_run, v_name, v_local_keys, v_local_rows, v_local_times, v_remote_keys, v_remote_rows, v_remote_times, p_strategy
    INTO v_d_keys, v_d_categories, v_d_resolutions, v_d_reasons, v_d_local, v_d_remote;
    IF NOT p_dry_run AND EXISTS (SELECT FROM ROWS FROM (unnest(v_d_categories), unnest(v_d_local), unnest(v_d_remote)) AS d(c, l, r)
                                 WHERE (d.c <> 'remote_only' AND d.l IS NULL) OR (d.c <> 'local_only' AND d.r IS NULL)) THEN
        RAISE EXCEPTION 'rows of table % changed while it was being merged', v_name
            USING ERRCODE = 'serialization_failure', HINT = 'Run the merge again.';
    END IF;

    IF NOT p_dry_run THEN
        -- To the peer: rows only here are inserted there, conflicts won here update its rows.
        FOR v_batch, v_expected, v_status IN
            SELECT json_agg(x.j), count(*), x.category
            FROM (SELECT d.j, d.category, (row_number() OVER (PARTITION BY d.category) - 1) / v_batch_rows AS g
                  FROM ROWS FROM (unnest(v_d_categories), unnest(v_d_resolutions), unnest(v_d_local)) AS d(category, resolution, j)
                  WHERE d.resolution = 'to_peer') x
            GROUP BY x.category, x.g ORDER BY x.category DESC, x.g
        LOOP
            EXECUTE format('SELECT %I.dblink_exec($1, $2)', v_dblink)
                USING p_connection, CASE v_status
                    WHEN 'local_only' THEN format('INSERT INTO %s (%s) OVERRIDING SYSTEM VALUE SELECT %s '
                                                  || 'FROM pg_catalog.json_populate_recordset(NULL::%s, %L::pg_catalog.json)',
                                                  v_rel, v_columns, v_columns, v_rel, v_batch)
                    ELSE format('UPDATE %s AS t SET %s FROM pg_catalog.json_populate_recordset(NULL::%s, %L::pg_catalog.json) AS v '
                                || 'WHERE %s', v_rel, v_set, v_rel, v_batch, v_key_match) END
                INTO v_answer;
            v_done := (regexp_match(v_answer, '([0-9]+)$'))[1]::bigint;
            IF v_done IS DISTINCT FROM v_expected THEN
                RAISE EXCEPTION 'merge of table % stopped: the peer''s % changed % rows, not %', v_name,
                                split_part(v_answer, ' ', 1), coalesce(v_done::text, 'no'), v_expected
                    USING ERRCODE = 'triggered_action_exception',
                          HINT = 'A trigger, rule or row-level security policy on the peer''s table skipped or hid rows; nothing of this table was merged.';
            END IF;
        END LOOP;
        -- Here: rows only on the peer are inserted, conflicts the peer won update the rows here.
        FOR v_batch, v_expected, v_status IN
            SELECT json_agg(d.j), count(*), d.category
            FROM ROWS FROM (unnest(v_d_categories), unnest(v_d_resolutions), unnest(v_d_remote)) AS d(category, resolution, j)
            WHERE d.resolution = 'to_local'
            GROUP BY d.category ORDER BY d.category DESC
        LOOP
            IF v_status = 'remote_only' THEN
                EXECUTE format('INSERT INTO %s (%s) OVERRIDING SYSTEM VALUE SELECT %s '
                               || 'FROM pg_catalog.json_populate_recordset(NULL::%s, $1)', v_rel, v_columns, v_columns, v_rel)
                    USING v_batch;
            ELSE
                EXECUTE format('UPDATE %s AS t SET %s FROM pg_catalog.json_populate_recordset(NULL::%s, $1) AS v WHERE %s',
                               v_rel, v_set, v_rel, v_key_match)
                    USING v_batch;
            END IF;
            GET DIAGNOSTICS v_done = ROW_COUNT;
            IF v_done IS DISTINCT FROM v_expected THEN
                RAISE EXCEPTION 'merge of table % stopped: % changed % rows here, not %', v_name,
                                CASE v_status WHEN 'remote_only' THEN 'INSERT' ELSE 'UPDATE' END, v_done, v_expected
                    USING ERRCODE = 'triggered_action_exception',
                          HINT = 'A trigger, rule or row-level security policy on this table skipped or hid rows; nothing of this table was merged.';
            END IF;
        END LOOP;
    END IF;

    SELECT jsonb_build_object(
               'table_name', v_name,
               'matches', v_counts.matches, 'local_only', v_counts.local_only,
               'remote_only', v_counts.remote_only, 'conflicts', v_counts.conflicts,
               'rows_to_peer', count(*) FILTER (WHERE d.resolution = 'to_peer'),
               'rows_to_local', count(*) FILTER (WHERE d.resolution = 'to_local'),
               'conflicts_resolved', count(*) FILTER (WHERE d.category = 'conflict' AND d.resolution <> 'left'),
               'conflicts_left', count(*) FILTER (WHERE d.resolution = 'left'))
    INTO v_result FROM ROWS FROM (unnest(v_d_categories), unnest(v_d_resolutions)) AS d(category, resolution);
    PERFORM steep_repl._merge_record(p_merge_id, p_token, v_name, p_strategy, v_d_keys, v_d_categories, v_d_resolutions,
                                     v_d_reasons, v_d_local, v_d_remote, v_result);
    IF NOT p_options ? 'overlap_run' THEN
        DELETE FROM steep_repl.overlap_runs o WHERE o.run_id = v_run;
    END IF;
    RETURN v_result;
END;
$$;

COMMENT ON FUNCTION steep_repl._merge_table(text, text, text, text, text, text, text, boolean, boolean, jsonb) IS
    'Internal (merge jobs): merges one table both ways under write locks on both nodes (a dry run only plans), and records every decision';
