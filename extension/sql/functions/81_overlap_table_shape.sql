CREATE FUNCTION steep_repl._overlap_table_shape(p_table regclass, p_key text[] DEFAULT NULL)
RETURNS TABLE (table_schema text, table_name text, columns text[], key_columns text[])
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_missing text;
BEGIN
    /*
     * A table's columns (by name) and the columns rows are matched by: its
     * primary key, or p_key when given (every name must be a column).  A
     * table without either is refused: rows without a key cannot be paired.
     */
    SELECT n.nspname, c.relname INTO table_schema, table_name
    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.oid = p_table;

    SELECT pg_catalog.array_agg(a.attname::text ORDER BY a.attname::text COLLATE "C") INTO columns
    FROM pg_catalog.pg_attribute a
    WHERE a.attrelid = p_table AND a.attnum > 0 AND NOT a.attisdropped;

    IF p_key IS NOT NULL THEN
        SELECT string_agg(format('"%s"', k), ', ') INTO v_missing
        FROM unnest(p_key) AS k WHERE k IS NULL OR NOT k = ANY (columns);
        IF cardinality(p_key) = 0 OR v_missing IS NOT NULL THEN
            RAISE EXCEPTION 'key columns of table %.% are not columns of it: %', table_schema, table_name,
                            coalesce(v_missing, 'none given')
                USING ERRCODE = 'invalid_parameter_value',
                      HINT = 'options.key_columns maps "schema.table" to an array of its column names.';
        END IF;
        key_columns := p_key;
    ELSE
        SELECT pg_catalog.array_agg(a.attname::text ORDER BY k.o) INTO key_columns
        FROM pg_catalog.pg_index i
        CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, o)
        JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
        WHERE i.indrelid = p_table AND i.indisprimary;
        IF key_columns IS NULL THEN
            RAISE EXCEPTION 'table %.% has no primary key', table_schema, table_name
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      HINT = format('Rows are paired by key: add a primary key, or name the key columns in the '
                                    || 'options, e.g. ''{"key_columns": {"%s.%s": ["id"]}}''.', table_schema, table_name);
        END IF;
    END IF;
    RETURN NEXT;
END;
$$;

COMMENT ON FUNCTION steep_repl._overlap_table_shape(regclass, text[]) IS
    'Internal (analyze_overlap): a table''s columns by name and the key its rows are paired by (primary key or given columns)';
