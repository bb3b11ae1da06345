CREATE FUNCTION steep_repl.heartbeat(p_node_id text)
RETURNS steep_repl.nodes
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_node steep_repl.nodes;
BEGIN
    UPDATE steep_repl.nodes n
    SET last_heartbeat = now()
    WHERE n.node_id = p_node_id
    RETURNING n.* INTO v_node;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'node % does not exist', coalesce('"' || p_node_id || '"', 'NULL')
            USING ERRCODE = 'undefined_object',
                  HINT = 'Register the node with steep_repl.register_node() first.';
    END IF;
    RETURN v_node;
END;
$$;

COMMENT ON FUNCTION steep_repl.heartbeat(text) IS
    'Records that a node is alive now; needs UPDATE on steep_repl.nodes';
