CREATE FUNCTION steep_repl.peer_fingerprints(
    p_peer text,
    p_schemas text[] DEFAULT NULL,
    p_include_column_order boolean DEFAULT false,
    p_include_names boolean DEFAULT false
)
RETURNS jsonb
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_connection constant text := 'steep_repl_schema_peer';
    v_dblink text;
    v_target text;
    v_document jsonb;
    v_state text;
    v_message text;
    v_detail text;
    v_hint text;
BEGIN
    /*
     * The fingerprint document of a peer (see _peer_connect), fetched
     * through dblink with the caller's privileges: the peer needs nothing
     * but its catalogs, because the statement itself (fingerprint_query) is
     * sent.
     */
    v_target := steep_repl._peer_connect(p_peer, v_connection);
    v_dblink := steep_repl._dblink_schema();

    BEGIN
        EXECUTE format('SELECT count(*) FROM %I.dblink($1, $2) AS t(setting text)', v_dblink)
            USING v_connection, steep_repl.fingerprint_settings_query();
        EXECUTE format('SELECT t.fingerprints FROM %I.dblink($1, $2) AS t(fingerprints jsonb)', v_dblink)
            USING v_connection, steep_repl.fingerprint_query(p_schemas, p_include_column_order, p_include_names)
            INTO v_document;
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT,
                                v_detail = PG_EXCEPTION_DETAIL, v_hint = PG_EXCEPTION_HINT;
        EXECUTE format('SELECT %I.dblink_disconnect($1)', v_dblink) USING v_connection;
        v_message := format('could not read the fingerprints of peer %s: %s', v_target,
                            steep_repl.redact_conninfo(v_message));
        v_hint := coalesce(steep_repl.redact_conninfo(nullif(v_hint, '')),
                           'The peer must run PostgreSQL 12 or later and let the user read its catalogs.');
        IF coalesce(v_detail, '') = '' THEN
            RAISE EXCEPTION USING ERRCODE = v_state, MESSAGE = v_message, HINT = v_hint;
        END IF;
        RAISE EXCEPTION USING ERRCODE = v_state, MESSAGE = v_message, HINT = v_hint,
                              DETAIL = steep_repl.redact_conninfo(v_detail);
    END;
    EXECUTE format('SELECT %I.dblink_disconnect($1)', v_dblink) USING v_connection;
    RETURN v_document;
END;
$$;

COMMENT ON FUNCTION steep_repl.peer_fingerprints(text, text[], boolean, boolean) IS
    'The fingerprint document of a peer (connection string, registered node id or foreign server name), read through dblink; the peer needs no extension';
