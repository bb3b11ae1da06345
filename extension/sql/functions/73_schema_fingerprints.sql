CREATE FUNCTION steep_repl.fingerprints(
    p_schemas text[] DEFAULT NULL,
    p_include_column_order boolean DEFAULT false,
    p_include_names boolean DEFAULT false
)
RETURNS TABLE (
    table_schema text,
    table_name text,
    table_kind text,
    fingerprint text,
    components jsonb
)
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- the same document a peer computes, one row per table
    RETURN QUERY
    SELECT t.doc->>'schema', t.doc->>'table', t.doc->>'kind', t.doc->>'fingerprint', t.doc->'components'
    FROM jsonb_array_elements(
             steep_repl.local_fingerprints(p_schemas, p_include_column_order, p_include_names)->'tables') AS t(doc);
END;
$$;

COMMENT ON FUNCTION steep_repl.fingerprints(text[], boolean, boolean) IS
    'Live fingerprints of the tables of this database (or of the given schemas), with a hash and the items of each component';
