CREATE FUNCTION steep_repl._merge_check_peer(
    p_connection text,
    p_peer text,
    p_target text,
    p_tables text[],
    p_strategies text[],
    p_timestamp_columns text[],
    p_dry_run boolean
)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_dblink constant text := steep_repl._dblink_schema();
    v_schemas text[];
    v_blocking text;
    v_missing text;
    v_setting text;
BEGIN
    /*
     * What the peer must offer before a merge changes anything: the same
     * table structures (compare_schema, in its own words), the caller's
     * privileges there, and commit timestamps when last-modified relies on
     * them.  p_tables are the merge's tables as schema-qualified regclass
     * text, parallel to p_strategies and p_timestamp_columns.
     */
    SELECT array_agg(DISTINCT n.nspname::text) INTO v_schemas
    FROM unnest(p_tables) AS t JOIN pg_catalog.pg_class c ON c.oid = t::regclass
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace;
    SELECT string_agg(format('%s.%s (%s)', s.table_schema, s.table_name, s.status), ', ') INTO v_blocking
    FROM steep_repl.compare_schema(p_peer, v_schemas) s
    JOIN unnest(p_tables) AS t ON t::regclass = to_regclass(format('%I.%I', s.table_schema, s.table_name))
    WHERE s.blocking;
    IF v_blocking IS NOT NULL THEN
        RAISE EXCEPTION 'the schemas of peer % block the merge of: %', p_target, v_blocking
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'steep_repl.compare_schema and steep_repl.column_diff show the differences; make the tables alike first.';
    END IF;

    EXECUTE format('SELECT pg_catalog.string_agg(t.missing, ''; '') FROM %I.dblink($1, $2) AS t(missing text)', v_dblink)
        USING p_connection, format(
            'SELECT t.name || '': '' || CASE WHEN pg_catalog.to_regclass(t.name) IS NULL THEN ''no such table'' '
            || 'ELSE pg_catalog.array_to_string(ARRAY(SELECT p FROM pg_catalog.unnest(%L::pg_catalog.text[]) AS p '
            || 'WHERE NOT pg_catalog.has_table_privilege(t.name, p)), '', '') END '
            || 'FROM pg_catalog.unnest(%L::pg_catalog.text[]) AS t(name) '
            || 'WHERE pg_catalog.to_regclass(t.name) IS NULL OR EXISTS (SELECT FROM pg_catalog.unnest(%1$L::pg_catalog.text[]) AS p '
            || 'WHERE NOT pg_catalog.has_table_privilege(t.name, p))',
            CASE WHEN p_dry_run THEN ARRAY['SELECT'] ELSE ARRAY['SELECT', 'INSERT', 'UPDATE'] END, p_tables)
        INTO v_missing;
    IF v_missing IS NOT NULL THEN
        RAISE EXCEPTION 'permission denied to merge on peer %: %', p_target, v_missing
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'The role the merge connects as on the peer needs SELECT, INSERT and UPDATE on each table '
                         || '(a dry run SELECT only).';
    END IF;

    IF EXISTS (SELECT FROM unnest(p_strategies, p_timestamp_columns) AS s(strategy, col)
               WHERE s.strategy = 'last-modified' AND s.col IS NULL) THEN
        EXECUTE format('SELECT t.s FROM %I.dblink($1, $2) AS t(s text)', v_dblink)
            USING p_connection, 'SELECT pg_catalog.current_setting(''track_commit_timestamp'')'
            INTO v_setting;
        IF v_setting <> 'on' THEN
            RAISE EXCEPTION 'strategy last-modified needs commit timestamps on both nodes, and peer % has none', p_target
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      DETAIL = 'track_commit_timestamp is off on the peer.',
                      HINT = 'Name a timestamp column (last_modified_column), or turn on track_commit_timestamp on the peer.';
        END IF;
    END IF;
END;
$$;

COMMENT ON FUNCTION steep_repl._merge_check_peer(text, text, text, text[], text[], text[], boolean) IS
    'Internal (merge jobs): refuses a merge whose tables differ on the peer, lack privileges there, or need commit timestamps it does not keep';

CREATE FUNCTION steep_repl._merge_peer_ready(p_connection text, p_target text, p_table text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_message text;
BEGIN
    /*
     * Called after a table's merge and before this node commits it: the
     * peer's transaction must still be there, or this node's half is rolled
     * back too.  A peer lost before this point leaves both nodes as they
     * were for the table; only a loss between the two commits leaves the
     * peer's half missing (docs/merge.md, Failures).  A cancel is not caught
     * (OTHERS leaves query_canceled alone): the job rolls both halves back.
     */
    BEGIN
        EXECUTE format('SELECT t.one FROM %I.dblink($1, $2) AS t(one integer)', steep_repl._dblink_schema())
            USING p_connection, 'SELECT 1';
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS v_message = MESSAGE_TEXT;
        RAISE EXCEPTION 'lost the connection to peer % while merging table %', p_target, p_table
            USING ERRCODE = 'connection_failure',
                  DETAIL = steep_repl.redact_conninfo(v_message),
                  HINT = 'Nothing of this table was merged on either node; tables merged before it stay merged. '
                         || 'Run the merge again when the peer is back: it converges.';
    END;
END;
$$;

COMMENT ON FUNCTION steep_repl._merge_peer_ready(text, text, text) IS
    'Internal (merge jobs): checks, before this node commits a table''s merge, that the peer''s transaction of it is still open';

CREATE FUNCTION steep_repl._merge_peer_end(p_connection text, p_commit boolean)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_dblink constant text := steep_repl._dblink_schema();
    v_status text;
BEGIN
    /*
     * Ends the peer's transaction of one table's merge.  dblink_exec
     * answers ROLLBACK, not an error, to a COMMIT of a failed transaction:
     * only the answer COMMIT means the peer's changes are in.
     */
    IF NOT p_connection = ANY (coalesce(steep_repl._dblink_connections(), '{}')) THEN
        IF p_commit THEN
            RAISE EXCEPTION 'the connection to the peer was lost before its changes were committed'
                USING ERRCODE = 'connection_failure';
        END IF;
        RETURN;
    END IF;
    EXECUTE format('SELECT %I.dblink_exec($1, $2, $3)', v_dblink)
        USING p_connection, CASE WHEN p_commit THEN 'COMMIT' ELSE 'ROLLBACK' END, p_commit
        INTO v_status;
    IF p_commit AND v_status IS DISTINCT FROM 'COMMIT' THEN
        RAISE EXCEPTION 'the peer did not commit the merge''s changes (it answered %)', coalesce(v_status, 'nothing')
            USING ERRCODE = 'transaction_rollback',
                  HINT = 'The changes on this node are committed; run the merge again: it converges.';
    END IF;
END;
$$;

COMMENT ON FUNCTION steep_repl._merge_peer_end(text, boolean) IS
    'Internal (merge jobs): commits or rolls back the peer''s transaction of a table''s merge';

CREATE FUNCTION steep_repl._dblink_connections()
RETURNS text[]
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_names text[];
BEGIN
    /* The names of this session's open dblink connections. */
    EXECUTE format('SELECT %I.dblink_get_connections()', steep_repl._dblink_schema()) INTO v_names;
    RETURN v_names;
END;
$$;

COMMENT ON FUNCTION steep_repl._dblink_connections() IS
    'Internal: the names of this session''s open dblink connections';

CREATE FUNCTION steep_repl._peer_disconnect(p_connection text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    /* Closes the named dblink connection when it is open. */
    IF p_connection = ANY (coalesce(steep_repl._dblink_connections(), '{}')) THEN
        EXECUTE format('SELECT %I.dblink_disconnect($1)', steep_repl._dblink_schema()) USING p_connection;
    END IF;
END;
$$;

COMMENT ON FUNCTION steep_repl._peer_disconnect(text) IS
    'Internal: closes a dblink connection of this session if it is open';
