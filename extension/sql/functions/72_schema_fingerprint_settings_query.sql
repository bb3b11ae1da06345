CREATE FUNCTION steep_repl.fingerprint_settings_query()
RETURNS text
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    /*
     * A statement that gives a peer's session the settings under which
     * local_fingerprints() runs (its SET clauses, the one list of them), so
     * that both sides render names and constants alike.  Run it once in the
     * session before fingerprint_query()'s statement.
     */
    SELECT 'SELECT pg_catalog.set_config(s.name, s.value, false) FROM (VALUES '
           || string_agg(format('(%L, %L)', split_part(c.setting, '=', 1),
                                substr(c.setting, strpos(c.setting, '=') + 1)), ', ' ORDER BY c.ord)
           || ') AS s(name, value)'
    FROM pg_proc p, unnest(p.proconfig) WITH ORDINALITY AS c(setting, ord)
    WHERE p.oid = 'steep_repl.local_fingerprints(text[], boolean, boolean)'::regprocedure;
$$;

COMMENT ON FUNCTION steep_repl.fingerprint_settings_query() IS
    'The statement that sets, in a peer''s session, the settings fingerprint_query() assumes';
