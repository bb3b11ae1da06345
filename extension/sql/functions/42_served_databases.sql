-- The databases the Java worker serves (src/served_databases.c).

CREATE FUNCTION steep_repl.served_databases()
RETURNS TABLE (
    database text,
    database_id oid,
    state text,
    detail text,
    since timestamptz,
    dropping boolean
)
LANGUAGE C
VOLATILE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'steep_repl_served_databases';

COMMENT ON FUNCTION steep_repl.served_databases() IS
    'The databases the Java worker serves or is asked to: state announced, connecting, serving or error (detail says why); needs shared_preload_libraries';

CREATE FUNCTION steep_repl.serves_database(p_database text)
RETURNS boolean
LANGUAGE C
STABLE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'steep_repl_serves_database';

COMMENT ON FUNCTION steep_repl.serves_database(text) IS
    'Whether steep_repl.databases (or the deprecated steep_repl.database) lets the worker serve the named database, when it has the extension';

CREATE FUNCTION steep_repl._serve_database(p_database oid, p_state text, p_detail text)
RETURNS void
LANGUAGE C
VOLATILE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'steep_repl_serve_database';

COMMENT ON FUNCTION steep_repl._serve_database(oid, text, text) IS
    'Internal (Java worker): publishes a served database''s state (connecting, serving, error, or gone to forget it)';

REVOKE ALL ON FUNCTION steep_repl._serve_database(oid, text, text) FROM PUBLIC;
