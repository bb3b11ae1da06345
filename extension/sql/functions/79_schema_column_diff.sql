CREATE FUNCTION steep_repl.column_diff(
    p_peer text,
    p_table text,
    p_include_column_order boolean DEFAULT false
)
RETURNS TABLE (
    column_name text,
    difference text,
    local_value text,
    remote_value text,
    blocking boolean
)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_name text[];
    v_row record;
BEGIN
    /*
     * The column-level differences of one table between this database and
     * a peer: compare_schema's differences of component "columns".  p_table
     * is schema-qualified, quoted as in SQL: 'public."Orders"'.
     */
    v_name := parse_ident(p_table);
    IF cardinality(v_name) <> 2 THEN
        RAISE EXCEPTION 'table name "%" is not schema-qualified', p_table
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Write schema.table, with double quotes around names that need them: public."Orders".';
    END IF;

    SELECT c.status, c.differences INTO v_row
    FROM steep_repl.compare_schema(p_peer, ARRAY[v_name[1]], p_include_column_order) c
    WHERE c.table_schema = v_name[1] AND c.table_name = v_name[2];
    IF NOT FOUND THEN
        RAISE EXCEPTION 'table %.% exists on neither side', quote_ident(v_name[1]), quote_ident(v_name[2])
            USING ERRCODE = 'undefined_table',
                  HINT = 'Check the name; mixed-case names need double quotes: public."Orders".';
    END IF;

    RETURN QUERY
    SELECT d->>'object', d->>'difference', d->>'local', d->>'remote', (d->>'blocking')::boolean
    FROM jsonb_array_elements(v_row.differences) d
    WHERE d->>'component' = 'columns';
END;
$$;

COMMENT ON FUNCTION steep_repl.column_diff(text, text, boolean) IS
    'Column-level differences of one table (schema.table) between this database and a peer';
