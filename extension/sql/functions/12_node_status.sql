CREATE FUNCTION steep_repl.node_status(p_node_id text DEFAULT NULL)
RETURNS TABLE (
    node_id text,
    node_name text,
    host text,
    port integer,
    priority integer,
    registered_at timestamptz,
    last_heartbeat timestamptz,
    heartbeat_age interval,
    is_healthy boolean,
    state text
)
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_stale_after interval;
BEGIN
    /*
     * Calling into the library defines steep_repl.* in this session, so the
     * setting reads with its unit ('1min'), not as the bare number of a
     * postgresql.conf line.
     */
    PERFORM steep_repl.bgworker_available();
    v_stale_after := coalesce(nullif(current_setting('steep_repl.heartbeat_stale_after', true), ''),
                              '60s')::interval;

    IF p_node_id IS NOT NULL
       AND NOT EXISTS (SELECT FROM steep_repl.nodes n WHERE n.node_id = p_node_id) THEN
        RAISE EXCEPTION 'node "%" does not exist', p_node_id
            USING ERRCODE = 'undefined_object',
                  HINT = 'Register the node with steep_repl.register_node() first.';
    END IF;

    RETURN QUERY
    SELECT n.node_id, n.node_name, n.host, n.port, n.priority,
           n.registered_at, n.last_heartbeat,
           now() - n.last_heartbeat,
           coalesce(now() - n.last_heartbeat < v_stale_after, false),
           CASE
               WHEN n.last_heartbeat IS NULL THEN 'no heartbeat'
               WHEN now() - n.last_heartbeat < v_stale_after THEN 'healthy'
               ELSE 'stale'
           END
    FROM steep_repl.nodes n
    WHERE p_node_id IS NULL OR n.node_id = p_node_id
    ORDER BY n.node_id;
END;
$$;

COMMENT ON FUNCTION steep_repl.node_status(text) IS
    'Nodes with the age of their last heartbeat: healthy when younger than steep_repl.heartbeat_stale_after, else stale or no heartbeat';
