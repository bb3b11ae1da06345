-- The connection to a peer that steep_repl's peer functions share (schema compare, overlap).
CREATE FUNCTION steep_repl._peer_connect(p_peer text, p_connection text)
RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_ways constant text := 'Give a registered node id (see steep_repl.nodes), the name of a foreign server '
                            || 'with a user mapping for you (CREATE SERVER ... FOREIGN DATA WRAPPER dblink_fdw), '
                            || 'or a connection string such as ''host=db2 dbname=app user=steep''.';
    v_server boolean := false;
    v_dblink text;
    v_node steep_repl.nodes;
    v_conninfo text;
    v_target text;
    v_state text;
    v_message text;
    v_detail text;
BEGIN
    /*
     * Opens the dblink connection p_connection to the peer, with the
     * caller's privileges, and returns how errors name the peer (never with
     * a password).  p_peer is a
     * connection string, a registered node id (host and port from
     * steep_repl.nodes, this database's name, the current user, and a
     * password the server's libpq finds: the server's ~/.pgpass or PG*
     * environment), or the name of a foreign server (dblink builds the
     * connection string from the server's options and the caller's user
     * mapping).  dblink lets a non-superuser connect only with a password in
     * the connection string, or the user mapping, that the peer actually
     * asks for.  A user mapping keeps the password out of the statement
     * text, which the server log records when the statement fails.
     *
     * The connection string never appears in an error: errors show it
     * redacted, and libpq's syntax messages, which may quote any part of it,
     * are withheld when it holds a password.
     */
    IF p_peer IS NULL OR p_peer ~ '^\s*$' THEN
        RAISE EXCEPTION 'peer must not be empty'
            USING ERRCODE = 'invalid_parameter_value', HINT = v_ways;
    END IF;
    v_dblink := steep_repl._dblink_schema();

    IF p_peer ~ '=' OR p_peer ~* '^\s*postgres(ql)?://' THEN
        v_conninfo := p_peer;
        v_target := steep_repl.redact_conninfo(p_peer);
    ELSE
        SELECT * INTO v_node FROM steep_repl.nodes n WHERE n.node_id = p_peer;
        IF FOUND THEN
            SELECT string_agg(x.k || '=''' || replace(replace(x.v, '\', '\\'), '''', '\''') || '''', ' ' ORDER BY x.ord)
            INTO v_conninfo
            FROM (VALUES (1, 'host', v_node.host), (2, 'port', v_node.port::text),
                         (3, 'dbname', current_database()::text), (4, 'user', current_user::text),
                         (5, 'fallback_application_name', 'steep_repl')) x(ord, k, v);
            v_target := format('node "%s" (host=%s port=%s)', v_node.node_id, v_node.host, v_node.port);
        ELSIF EXISTS (SELECT FROM pg_catalog.pg_foreign_server s WHERE s.srvname = p_peer) THEN
            -- dblink_connect takes the server's name and finds its options and the user mapping itself
            v_server := true;
            v_conninfo := p_peer;
            v_target := format('foreign server "%s"', p_peer);
        ELSE
            RAISE EXCEPTION 'peer "%" is neither a registered node nor a foreign server', p_peer
                USING ERRCODE = 'undefined_object', HINT = v_ways;
        END IF;
    END IF;

    -- a call interrupted by a cancel (not caught below) may have left the connection open
    EXECUTE format('SELECT $1 = ANY (coalesce(%I.dblink_get_connections(), ''{}''))', v_dblink)
        USING p_connection INTO STRICT v_state;
    IF v_state::boolean THEN
        EXECUTE format('SELECT %I.dblink_disconnect($1)', v_dblink) USING p_connection;
    END IF;

    BEGIN
        EXECUTE format('SELECT %I.dblink_connect($1, $2)', v_dblink) USING p_connection, v_conninfo;
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT,
                                v_detail = PG_EXCEPTION_DETAIL;
        IF v_detail ~ '(connection info string|connection URI|invalid connection option)'
           AND steep_repl.redact_conninfo(v_conninfo) <> v_conninfo THEN
            RAISE EXCEPTION 'could not connect to peer: the connection string is not valid'
                USING ERRCODE = v_state,
                      DETAIL = 'The connection string and libpq''s message are withheld because they may quote the password.',
                      HINT = 'Check the syntax: key=value pairs with single quotes around values that hold '
                             || 'spaces, or a postgresql:// URI with percent-encoded parts.';
        END IF;
        IF v_state = '2F003' THEN
            -- dblink: a non-superuser must authenticate with a password
            RAISE EXCEPTION 'could not connect to peer %: %', v_target, steep_repl.redact_conninfo(v_message)
                USING ERRCODE = 'invalid_authorization_specification',
                      DETAIL = steep_repl.redact_conninfo(coalesce(nullif(v_detail, ''), v_message)),
                      HINT = 'A role that is not a superuser must give dblink a password the peer asks for '
                             || '(password or scram-sha-256 in its pg_hba.conf): name a foreign server whose user '
                             || 'mapping holds it (CREATE USER MAPPING ... OPTIONS (user ''...'', password ''...'')) '
                             || 'rather than writing it into the query, where the server log may keep it; '
                             || 'or compare from the steep-repl CLI, which connects to the peer itself.';
        END IF;
        IF v_server AND v_state IN ('42704', '42501') THEN
            -- dblink: no user mapping for this role, or no USAGE on the server
            RAISE EXCEPTION 'could not connect to peer %: %', v_target, v_message
                USING ERRCODE = v_state,
                      HINT = format('The server''s owner runs CREATE USER MAPPING FOR %I SERVER %I '
                                    || 'OPTIONS (user ''...'', password ''...'') and GRANT USAGE ON FOREIGN SERVER %2$I TO %1$I.',
                                    current_user, p_peer);
        END IF;
        RAISE EXCEPTION 'could not connect to peer %', v_target
            USING ERRCODE = v_state,
                  DETAIL = steep_repl.redact_conninfo(coalesce(nullif(v_detail, ''), v_message)),
                  HINT = 'Check that the peer is running and reachable from this server, and that its '
                         || 'pg_hba.conf admits the user; a node''s password comes from the server''s ~/.pgpass, '
                         || 'a foreign server''s from the user mapping.';
    END;
    RETURN v_target;
END;
$$;

COMMENT ON FUNCTION steep_repl._peer_connect(text, text) IS
    'Internal: opens the named dblink connection to a peer (connection string, registered node id or foreign server name) with the caller''s privileges; returns the peer''s name for messages';

CREATE FUNCTION steep_repl._dblink_schema()
RETURNS text
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_dblink text;
BEGIN
    /* Where dblink is installed; peers are reached through it. */
    SELECT n.nspname INTO v_dblink
    FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
    WHERE e.extname = 'dblink';
    IF v_dblink IS NULL THEN
        RAISE EXCEPTION 'extension dblink is not installed in database "%"', current_database()
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = 'steep_repl reaches peers through dblink (PostgreSQL contrib).',
                  HINT = 'A superuser runs CREATE EXTENSION dblink; in this database.';
    END IF;
    RETURN v_dblink;
END;
$$;

COMMENT ON FUNCTION steep_repl._dblink_schema() IS
    'Internal: the schema of the dblink extension, or an error naming the fix when it is not installed';

