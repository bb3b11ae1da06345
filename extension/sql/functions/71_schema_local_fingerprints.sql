CREATE FUNCTION steep_repl.local_fingerprints(
    p_schemas text[] DEFAULT NULL,
    p_include_column_order boolean DEFAULT false,
    p_include_names boolean DEFAULT false
)
RETURNS jsonb
LANGUAGE plpgsql
STABLE
/*
 * pg_get_expr and format_type render names relative to the search_path,
 * and constants (partition bounds, defaults) in the session's DateStyle,
 * IntervalStyle, TimeZone and float format.  These settings are the one list
 * of what a fingerprint assumes: fingerprint_settings_query() reads them from
 * here for the peer's session.  JIT is off because the planner's estimates
 * for the catalog joins make it compile for far longer than the query runs.
 */
SET search_path = pg_catalog, pg_temp
SET DateStyle = 'ISO, YMD'
SET IntervalStyle = 'postgres'
SET TimeZone = 'UTC'
SET extra_float_digits = 1
SET jit = off
AS $$
DECLARE
    v_document jsonb;
BEGIN
    EXECUTE steep_repl.fingerprint_query(p_schemas, p_include_column_order, p_include_names)
        INTO v_document;
    RETURN v_document;
END;
$$;

COMMENT ON FUNCTION steep_repl.local_fingerprints(text[], boolean, boolean) IS
    'The fingerprint document of this database: fingerprint_query() run with the settings a fingerprint assumes';
