CREATE FUNCTION steep_repl._merge_strategies()
RETURNS text[]
LANGUAGE sql
IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
    /* The merge strategies, in the order --help and errors list them (docs/merge.md). */
    SELECT ARRAY['prefer-local', 'prefer-remote', 'last-modified', 'manual'];
$$;

COMMENT ON FUNCTION steep_repl._merge_strategies() IS
    'Internal: the names of the merge strategies';

CREATE FUNCTION steep_repl._merge_lock_timeout(p_options jsonb)
RETURNS interval
LANGUAGE plpgsql
IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_timeout interval;
BEGIN
    /*
     * How long a merge waits for the lock that stops writes to a table on
     * each node (options.lock_timeout, default 5 s); NULL when invalid.
     */
    IF NOT p_options ? 'lock_timeout' THEN
        RETURN interval '5 seconds';
    END IF;
    IF jsonb_typeof(p_options -> 'lock_timeout') <> 'string' THEN
        RETURN NULL;
    END IF;
    v_timeout := (p_options ->> 'lock_timeout')::interval;
    RETURN CASE WHEN v_timeout BETWEEN interval '1 millisecond' AND interval '1 hour' THEN v_timeout END;
EXCEPTION WHEN invalid_datetime_format OR datetime_field_overflow OR interval_field_overflow THEN
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION steep_repl._merge_lock_timeout(jsonb) IS
    'Internal: a merge''s lock timeout from its options (default 5 s), NULL when the option is not a valid interval';

CREATE FUNCTION steep_repl._merge_plan(
    p_tables text[],
    p_strategy text,
    p_dry_run boolean,
    p_options jsonb
)
RETURNS TABLE (
    merge_order integer,
    table_name text,
    relation text,
    strategy text,
    timestamp_column text,
    self_referencing boolean
)
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_strategies constant text[] := steep_repl._merge_strategies();
    v_hint constant text := 'Strategies are ' || array_to_string(steep_repl._merge_strategies(), ', ') || '.';
    v_bad text;
    v_name text;
    v_table regclass;
    v_tables regclass[] := '{}';
    v_names text[] := '{}';
    v_strategy text;
    v_column text;
    v_type regtype;
    v_missing text;
    v_done regclass[] := '{}';
    v_next regclass[];
    v_cycle text;
    v_at regclass;
    v_path regclass[];
    v_key text[];
BEGIN
    /*
     * Everything about a merge that this node can check before any change:
     * options, tables (each with a key, see _overlap_table_shape), strategy
     * per table, the last-modified column, the caller's privileges, and the
     * order: parents before children along the foreign keys between the
     * merged tables.  A cycle of foreign keys between two or more of them is
     * refused, naming it; a table that references itself is merged with
     * all of its rows in one statement per node, which PostgreSQL checks at
     * the statement's end.  An identity column GENERATED ALWAYS outside the
     * key is refused unless the strategy is manual: rows it lacks a node
     * receives with OVERRIDING SYSTEM VALUE, but an UPDATE may set such a
     * column only to DEFAULT, so resolving a conflict would fail midway.
     */
    IF p_tables IS NULL OR cardinality(p_tables) = 0 THEN
        RAISE EXCEPTION 'no tables given'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Name the tables to merge, e.g. ARRAY[''public.users''].';
    END IF;
    IF p_options IS NULL OR jsonb_typeof(p_options) <> 'object' THEN
        RAISE EXCEPTION 'options must be a JSON object'
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Pass ''{}'' for the defaults.';
    END IF;
    SELECT string_agg(k, ', ') INTO v_bad FROM jsonb_object_keys(p_options) AS k
    WHERE k NOT IN ('key_columns', 'rows_per_bucket', 'strategies', 'last_modified_column', 'lock_timeout', 'overlap_run');
    IF v_bad IS NOT NULL THEN
        RAISE EXCEPTION 'unknown option(s): %', v_bad
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Options are strategies ({"schema.table": "strategy"}), last_modified_column '
                         || '({"schema.table": "column"}), lock_timeout (e.g. "5s"), overlap_run (a kept analysis, '
                         || 'dry runs only), key_columns and rows_per_bucket (as for analyze_overlap).';
    END IF;
    PERFORM steep_repl._overlap_check_options(p_options);
    IF p_strategy IS NULL OR NOT p_strategy = ANY (v_strategies) THEN
        RAISE EXCEPTION 'strategy % is unknown', coalesce('"' || p_strategy || '"', 'NULL')
            USING ERRCODE = 'invalid_parameter_value', HINT = v_hint;
    END IF;
    FOREACH v_name IN ARRAY ARRAY['strategies', 'last_modified_column'] LOOP
        IF p_options ? v_name AND jsonb_typeof(p_options -> v_name) <> 'object' THEN
            RAISE EXCEPTION '% must be a JSON object of table names', v_name
                USING ERRCODE = 'invalid_parameter_value',
                      HINT = format('e.g. {"%s": {"public.users": "%s"}}', v_name,
                                    CASE v_name WHEN 'strategies' THEN 'prefer-remote' ELSE 'updated_at' END);
        END IF;
        SELECT string_agg(k, ', ') INTO v_bad FROM jsonb_object_keys(coalesce(p_options -> v_name, '{}')) AS k
        WHERE NOT k = ANY (p_tables);
        IF v_bad IS NOT NULL THEN
            RAISE EXCEPTION '% names table(s) that are not merged: %', v_name, v_bad
                USING ERRCODE = 'invalid_parameter_value',
                      HINT = 'Name each table exactly as in the list of tables.';
        END IF;
    END LOOP;
    IF p_options ? 'lock_timeout' AND steep_repl._merge_lock_timeout(p_options) IS NULL THEN
        RAISE EXCEPTION 'lock_timeout % is invalid', p_options -> 'lock_timeout'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'An interval from 1 ms to 1 hour, e.g. "5s" or "2min".';
    END IF;
    IF p_options ? 'overlap_run' AND (NOT coalesce(p_dry_run, false)
       OR jsonb_typeof(p_options -> 'overlap_run') <> 'number'
       OR NOT EXISTS (SELECT FROM steep_repl.overlap_runs o
                      WHERE o.run_id::numeric = (p_options ->> 'overlap_run')::numeric)) THEN
        RAISE EXCEPTION 'overlap_run % cannot be used', p_options -> 'overlap_run'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'A dry run may plan from an analysis you kept (analyze_overlap with {"keep": true}); '
                         || 'a merge always analyzes again under its locks.';
    END IF;

    FOREACH v_name IN ARRAY p_tables LOOP
        v_table := to_regclass(v_name);
        IF v_table IS NULL OR NOT EXISTS (SELECT FROM pg_catalog.pg_class c
                                          WHERE c.oid = v_table AND c.relkind IN ('r', 'p')) THEN
            RAISE EXCEPTION 'table % does not exist', coalesce('"' || v_name || '"', 'NULL')
                USING ERRCODE = 'undefined_table', HINT = 'Name each table as schema.table.';
        END IF;
        IF v_table = ANY (v_tables) THEN
            RAISE EXCEPTION 'table % is named twice', v_table
                USING ERRCODE = 'invalid_parameter_value', HINT = 'Name each table once.';
        END IF;
        -- the key (refuses a table without one)
        PERFORM steep_repl._overlap_table_shape(v_table, steep_repl._overlap_key_option(p_options, v_name));
        SELECT string_agg(p, ', ') INTO v_missing
        FROM unnest(CASE WHEN p_dry_run THEN ARRAY['SELECT'] ELSE ARRAY['SELECT', 'INSERT', 'UPDATE'] END) AS p
        WHERE NOT has_table_privilege(v_table, p);
        IF v_missing IS NOT NULL THEN
            RAISE EXCEPTION 'permission denied to merge table %: % lacks %', v_table, current_user, v_missing
                USING ERRCODE = 'insufficient_privilege',
                      HINT = 'A merge reads both tables and inserts and updates rows on both nodes (a dry run only reads): '
                             || 'the table''s owner grants SELECT, INSERT, UPDATE.';
        END IF;
        v_tables := v_tables || v_table;
        v_names := v_names || v_name;
    END LOOP;

    -- Parents first: repeatedly take the tables whose merged parents are all done.
    WHILE cardinality(v_done) < cardinality(v_tables) LOOP
        SELECT array_agg(t ORDER BY o) INTO v_next
        FROM unnest(v_tables) WITH ORDINALITY AS u(t, o)
        WHERE NOT t = ANY (v_done)
          AND NOT EXISTS (SELECT FROM pg_catalog.pg_constraint f
                          WHERE f.contype = 'f' AND f.conrelid = u.t AND f.confrelid <> u.t
                            AND f.confrelid = ANY (v_tables) AND NOT f.confrelid = ANY (v_done));
        IF v_next IS NULL THEN
            -- every table left has a parent left: follow parents until one repeats
            SELECT t INTO v_at FROM unnest(v_tables) AS t WHERE NOT t = ANY (v_done) LIMIT 1;
            v_path := ARRAY[v_at];
            LOOP
                SELECT f.confrelid INTO v_at FROM pg_catalog.pg_constraint f
                WHERE f.contype = 'f' AND f.conrelid = v_at AND f.confrelid <> v_at
                  AND f.confrelid = ANY (v_tables) AND NOT f.confrelid = ANY (v_done)
                ORDER BY f.confrelid LIMIT 1;
                EXIT WHEN v_at = ANY (v_path);
                v_path := v_path || v_at;
            END LOOP;
            SELECT string_agg(t::text, ' -> ' ORDER BY o) INTO v_cycle
            FROM unnest(v_path[array_position(v_path, v_at):] || v_at) WITH ORDINALITY AS c(t, o);
            RAISE EXCEPTION 'foreign keys form a cycle between merged tables: %', v_cycle
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      DETAIL = 'Each table merges in its own transaction, parents first; a cycle has no first table.',
                      HINT = 'Drop one foreign key of the cycle on both nodes for the merge and add it back '
                             || 'afterwards (ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT).';
        END IF;
        v_done := v_done || v_next;
    END LOOP;

    FOR merge_order, v_table IN SELECT o::integer, t FROM unnest(v_done) WITH ORDINALITY AS u(t, o) LOOP
        v_name := v_names[array_position(v_tables, v_table)];
        table_name := v_name;
        SELECT format('%I.%I', n.nspname, c.relname) INTO relation
        FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = v_table;
        strategy := coalesce(p_options -> 'strategies' ->> v_name, p_strategy);
        IF NOT strategy = ANY (v_strategies) THEN
            RAISE EXCEPTION 'strategy "%" for table % is unknown', strategy, v_name
                USING ERRCODE = 'invalid_parameter_value', HINT = v_hint;
        END IF;
        timestamp_column := p_options -> 'last_modified_column' ->> v_name;
        IF timestamp_column IS NOT NULL AND strategy <> 'last-modified' THEN
            RAISE EXCEPTION 'last_modified_column is given for table %, whose strategy is %', v_name, strategy
                USING ERRCODE = 'invalid_parameter_value',
                      HINT = 'Only the last-modified strategy reads a timestamp column.';
        END IF;
        IF timestamp_column IS NOT NULL THEN
            SELECT a.atttypid::regtype INTO v_type FROM pg_catalog.pg_attribute a
            WHERE a.attrelid = v_table AND a.attname = timestamp_column AND a.attnum > 0 AND NOT a.attisdropped;
            IF v_type IS NULL OR v_type NOT IN ('timestamptz'::regtype, 'timestamp'::regtype, 'date'::regtype) THEN
                RAISE EXCEPTION 'column "%" of table % is not a timestamp column', timestamp_column, v_name
                    USING ERRCODE = 'invalid_parameter_value',
                          HINT = 'last_modified_column names a column of type timestamptz, timestamp or date.';
            END IF;
        ELSIF strategy = 'last-modified' AND current_setting('track_commit_timestamp') <> 'on' THEN
            RAISE EXCEPTION 'strategy last-modified for table % needs a timestamp column or commit timestamps', v_name
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      DETAIL = 'track_commit_timestamp is off on this node.',
                      HINT = 'Name the column that holds the time of each row''s last change '
                             || '({"last_modified_column": {"' || v_name || '": "updated_at"}}), or turn on '
                             || 'track_commit_timestamp on both nodes (a restart) before the rows change.';
        END IF;
        SELECT s.key_columns INTO v_key
        FROM steep_repl._overlap_table_shape(v_table, steep_repl._overlap_key_option(p_options, v_name)) s;
        SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO v_bad
        FROM pg_catalog.pg_attribute a
        WHERE a.attrelid = v_table AND a.attnum > 0 AND NOT a.attisdropped AND a.attidentity = 'a'
          AND NOT a.attname::text = ANY (v_key);
        IF v_bad IS NOT NULL AND strategy <> 'manual' THEN
            RAISE EXCEPTION 'column % of table % is GENERATED ALWAYS AS IDENTITY outside its key', v_bad, v_name
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      DETAIL = format('An UPDATE may set it only to DEFAULT, and strategy %s updates the rows of conflicts.', strategy),
                      HINT = format('On both nodes, ALTER TABLE %s ALTER COLUMN ... SET GENERATED BY DEFAULT for the merge '
                                    || 'and SET GENERATED ALWAYS afterwards; or merge the table with the manual strategy.', relation);
        END IF;
        self_referencing := EXISTS (SELECT FROM pg_catalog.pg_constraint f
                                    WHERE f.contype = 'f' AND f.conrelid = v_table AND f.confrelid = v_table);
        RETURN NEXT;
    END LOOP;
END;
$$;

COMMENT ON FUNCTION steep_repl._merge_plan(text[], text, boolean, jsonb) IS
    'Internal (start_merge, merge jobs): checks a merge''s tables, options and privileges on this node and orders the tables parents first';
