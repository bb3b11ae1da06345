CREATE FUNCTION steep_repl.compare_schema(
    p_peer text,
    p_schemas text[] DEFAULT NULL,
    p_include_column_order boolean DEFAULT false,
    p_include_names boolean DEFAULT false
)
RETURNS TABLE (
    table_schema text,
    table_name text,
    status text,
    blocking boolean,
    components text[],
    differences jsonb
)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_remote jsonb;
    v_local jsonb;
BEGIN
    /*
     * This database ("local") against a peer ("remote"), in the calling
     * session: the peer's document through dblink (peer_fingerprints), this
     * database's from the same statement (local_fingerprints), compared by compare_fingerprints.
     */
    v_remote := steep_repl.peer_fingerprints(p_peer, p_schemas, p_include_column_order, p_include_names);
    v_local := steep_repl.local_fingerprints(p_schemas, p_include_column_order, p_include_names);

    RETURN QUERY SELECT * FROM steep_repl.compare_fingerprints(v_local, v_remote);
END;
$$;

COMMENT ON FUNCTION steep_repl.compare_schema(text, text[], boolean, boolean) IS
    'Compares the tables of this database with a peer''s (connection string, registered node id or foreign server name) through dblink; one row per table';
