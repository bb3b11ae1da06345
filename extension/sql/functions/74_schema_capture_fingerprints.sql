CREATE FUNCTION steep_repl._capture_fingerprints(
    p_caller regrole,
    p_schemas text[] DEFAULT NULL,
    p_include_column_order boolean DEFAULT false,
    p_include_names boolean DEFAULT false
)
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_count integer;
BEGIN
    PERFORM steep_repl._require_privilege(p_caller, 'steep_repl.schema_fingerprints', 'INSERT, DELETE');
    /*
     * Replaces the stored fingerprints of the captured scope (every table,
     * or the tables of p_schemas) with the live ones; tables dropped since
     * the last capture disappear.  Acts for p_caller, who needs INSERT
     * and DELETE on steep_repl.schema_fingerprints.
     */
    DELETE FROM steep_repl.schema_fingerprints f
    WHERE p_schemas IS NULL OR f.table_schema = ANY (p_schemas);

    INSERT INTO steep_repl.schema_fingerprints
        (table_schema, table_name, table_kind, fingerprint, components, include_column_order, include_names)
    SELECT l.table_schema, l.table_name, l.table_kind, l.fingerprint, l.components,
           p_include_column_order, p_include_names
    FROM steep_repl.fingerprints(p_schemas, p_include_column_order, p_include_names) l;
    GET DIAGNOSTICS v_count = ROW_COUNT;

    PERFORM steep_repl._audit(p_caller, 'schema.capture', NULL,
            jsonb_build_object('schemas', to_jsonb(p_schemas), 'tables', v_count,
                               'include_column_order', p_include_column_order,
                               'include_names', p_include_names));
    RETURN v_count;
END;
$$;

COMMENT ON FUNCTION steep_repl._capture_fingerprints(regrole, text[], boolean, boolean) IS
    'Internal: the body of capture_fingerprints, acting for the calling role p_caller (see src/with_caller.c)';

REVOKE ALL ON FUNCTION steep_repl._capture_fingerprints(regrole, text[], boolean, boolean) FROM PUBLIC;

-- Public entry point: calls _capture_fingerprints with the caller's role (src/with_caller.c).
CREATE FUNCTION steep_repl.capture_fingerprints(p_schemas text[] DEFAULT NULL, p_include_column_order boolean DEFAULT false, p_include_names boolean DEFAULT false)
RETURNS integer
LANGUAGE C
VOLATILE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'steep_repl_with_caller';

COMMENT ON FUNCTION steep_repl.capture_fingerprints(text[], boolean, boolean) IS
    'Stores the live fingerprints in steep_repl.schema_fingerprints, replacing the previous capture of the same scope; returns the number of tables';
