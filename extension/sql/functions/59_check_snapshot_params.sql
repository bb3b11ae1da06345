CREATE FUNCTION steep_repl._check_snapshot_params(p_kind text, p_params jsonb, p_submitter regrole)
RETURNS void
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_known text[];
    v_key text;
    v_value jsonb;
    v_type text;
    v_method text;
    v_level jsonb;
    v_max_level integer;
BEGIN
    /*
     * The parameters of a snapshot job, as start_snapshot and start_apply
     * build them (docs/snapshots.md, "Job parameters and result").  Checked
     * when the job is queued, whichever way it is queued, so that the
     * worker never starts a run that must fail on its arguments.
     */
    IF jsonb_typeof(p_params -> 'snapshot_id') IS DISTINCT FROM 'string'
       OR (p_params ->> 'snapshot_id') !~ '^snap_[0-9]{8}_[0-9]{6}_[0-9a-f]{8}$'
       OR jsonb_typeof(p_params -> 'path') IS DISTINCT FROM 'string'
       OR left(p_params ->> 'path', 1) <> '/' THEN
        RAISE EXCEPTION 'job parameters of kind % lack a snapshot_id or an absolute path', p_kind
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Start snapshot jobs with steep_repl.start_snapshot or steep_repl.start_apply.';
    END IF;

    v_value := p_params -> 'parallel';
    IF jsonb_typeof(v_value) IS DISTINCT FROM 'number'
       OR v_value::text::numeric <> trunc(v_value::text::numeric)
       OR v_value::text::numeric NOT BETWEEN 1 AND 64 THEN
        RAISE EXCEPTION 'parallel % is out of range', coalesce(v_value::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'parallel is the number of connections moving data, between 1 and 64.';
    END IF;

    IF p_kind = 'snapshot.generate' THEN
        v_method := p_params -> 'compression' ->> 'method';
        v_level := coalesce(p_params -> 'compression' -> 'level', 'null');
        v_max_level := CASE v_method WHEN 'none' THEN 0 WHEN 'gzip' THEN 9 WHEN 'lz4' THEN 12 WHEN 'zstd' THEN 22 END;
        IF v_max_level IS NULL THEN
            RAISE EXCEPTION 'compression % is invalid', coalesce((p_params -> 'compression')::text, 'NULL')
                USING ERRCODE = 'invalid_parameter_value',
                      HINT = 'Use none, gzip, lz4 or zstd, optionally with a level: gzip:1..9, lz4:1..12, zstd:1..22 (e.g. zstd:3).';
        END IF;
        IF v_level <> 'null' AND (jsonb_typeof(v_level) <> 'number'
                                  OR v_level::text::numeric <> trunc(v_level::text::numeric)
                                  OR v_level::text::numeric NOT BETWEEN 1 AND v_max_level) THEN
            RAISE EXCEPTION 'compression level % is out of range for %', v_level, v_method
                USING ERRCODE = 'invalid_parameter_value',
                      HINT = CASE WHEN v_method = 'none' THEN 'none takes no level.'
                                  ELSE format('A %s level is between 1 and %s.', v_method, v_max_level) END;
        END IF;
        v_known := ARRAY['node_id', 'include_schemas', 'exclude_schemas', 'include_tables', 'exclude_tables',
                         'keep_slot', 'slot_name', 'split_threshold_mb', 'checksum', 'data_format'];
    ELSE
        IF jsonb_typeof(p_params -> 'verify') IS DISTINCT FROM 'boolean' THEN
            RAISE EXCEPTION 'verify must be true or false, not %', coalesce((p_params -> 'verify')::text, 'NULL')
                USING ERRCODE = 'invalid_parameter_value',
                      HINT = 'true (the default) checks every file against the manifest before anything changes.';
        END IF;
        v_known := ARRAY['replace', 'node_id'];
    END IF;

    v_value := p_params -> 'options';
    IF jsonb_typeof(v_value) IS DISTINCT FROM 'object' THEN
        RAISE EXCEPTION 'snapshot options must be a JSON object, not %', coalesce(jsonb_typeof(v_value), 'NULL')
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Pass an object such as ''{"node_id": "node-a"}''::jsonb, or ''{}''.';
    END IF;
    FOR v_key, v_value IN SELECT o.key, o.value FROM jsonb_each(p_params -> 'options') o ORDER BY o.key LOOP
        IF NOT v_key = ANY (v_known) THEN
            RAISE EXCEPTION 'unknown snapshot option "%"', v_key
                USING ERRCODE = 'invalid_parameter_value',
                      HINT = 'Known options here: ' || array_to_string(v_known, ', ') || '.';
        END IF;
        v_type := jsonb_typeof(v_value);
        CASE v_key
            WHEN 'node_id' THEN
                IF v_type <> 'string' OR (v_value #>> '{}') !~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$' THEN
                    RAISE EXCEPTION 'option node_id % is not a node id', v_value
                        USING ERRCODE = 'invalid_parameter_value',
                              HINT = 'A node id has 1 to 63 letters, digits, "_", "." or "-" and starts with a letter or digit.';
                END IF;
            WHEN 'include_schemas', 'exclude_schemas', 'include_tables', 'exclude_tables' THEN
                IF v_type <> 'array'
                   OR EXISTS (SELECT FROM jsonb_array_elements(v_value) e
                              WHERE jsonb_typeof(e) <> 'string' OR e #>> '{}' = '') THEN
                    RAISE EXCEPTION 'option % must be an array of names, not %', v_key, v_value
                        USING ERRCODE = 'invalid_parameter_value',
                              HINT = 'For example ["public", "sales"], or ["public.orders"] for tables.';
                END IF;
            WHEN 'keep_slot', 'replace' THEN
                IF v_type <> 'boolean' THEN
                    RAISE EXCEPTION 'option % must be true or false, not %', v_key, v_value
                        USING ERRCODE = 'invalid_parameter_value';
                END IF;
            WHEN 'slot_name' THEN
                IF v_type <> 'string' OR (v_value #>> '{}') !~ '^[a-z0-9_]{1,63}$' THEN
                    RAISE EXCEPTION 'option slot_name % is not a replication slot name', v_value
                        USING ERRCODE = 'invalid_parameter_value',
                              HINT = 'A slot name has 1 to 63 lower-case letters, digits or "_".';
                END IF;
            WHEN 'checksum' THEN
                -- The algorithms the manifest can record per file (Java: ChecksumAlgorithm).
                IF v_type <> 'string' OR (v_value #>> '{}') NOT IN ('crc32c', 'sha256') THEN
                    RAISE EXCEPTION 'option checksum % is not a checksum algorithm', v_value
                        USING ERRCODE = 'invalid_parameter_value',
                              HINT = 'Use crc32c (the default) or sha256.';
                END IF;
            WHEN 'data_format' THEN
                -- How the data files hold their rows (Java: DataFormat).
                IF v_type <> 'string' OR (v_value #>> '{}') NOT IN ('text', 'binary') THEN
                    RAISE EXCEPTION 'option data_format % is not a data format', v_value
                        USING ERRCODE = 'invalid_parameter_value',
                              HINT = 'Use text or binary (default binary without compression, text with it).';
                END IF;
            WHEN 'split_threshold_mb' THEN
                IF v_type <> 'number' OR v_value::text::numeric <> trunc(v_value::text::numeric)
                   OR v_value::text::numeric NOT BETWEEN 1 AND 1048576 THEN
                    RAISE EXCEPTION 'option split_threshold_mb % is out of range', v_value
                        USING ERRCODE = 'invalid_parameter_value',
                              HINT = 'split_threshold_mb is a whole number of megabytes between 1 and 1048576.';
                END IF;
        END CASE;
    END LOOP;

    IF p_params -> 'options' ? 'slot_name' AND p_params -> 'options' -> 'keep_slot' IS DISTINCT FROM 'true' THEN
        RAISE EXCEPTION 'option slot_name needs keep_slot'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Add "keep_slot": true, or leave slot_name out.';
    END IF;
    -- The job creates the slot as the submitter; the attribute is not inherited.
    IF p_params -> 'options' -> 'keep_slot' = 'true'
       AND NOT EXISTS (SELECT FROM pg_catalog.pg_roles r
                       WHERE r.oid = p_submitter AND (r.rolreplication OR r.rolsuper)) THEN
        RAISE EXCEPTION 'role "%" cannot keep a replication slot', p_submitter
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Creating a replication slot needs the REPLICATION attribute (ALTER ROLE ... REPLICATION).';
    END IF;
END;
$$;

COMMENT ON FUNCTION steep_repl._check_snapshot_params(text, jsonb, regrole) IS
    'Internal (work_queue trigger): checks the parameters of a snapshot.generate or snapshot.apply job';

REVOKE ALL ON FUNCTION steep_repl._check_snapshot_params(text, jsonb, regrole) FROM PUBLIC;
