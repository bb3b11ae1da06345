CREATE FUNCTION steep_repl.deregister_node(p_node_id text)
RETURNS steep_repl.nodes
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_node steep_repl.nodes;
BEGIN
    DELETE FROM steep_repl.nodes n
    WHERE n.node_id = p_node_id
    RETURNING n.* INTO v_node;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'node % does not exist', coalesce('"' || p_node_id || '"', 'NULL')
            USING ERRCODE = 'undefined_object',
                  HINT = 'steep_repl.node_status() lists the registered nodes.';
    END IF;

    INSERT INTO steep_repl.audit_log (action, target, details)
    VALUES ('node.deregister', p_node_id, to_jsonb(v_node));
    RETURN v_node;
END;
$$;

COMMENT ON FUNCTION steep_repl.deregister_node(text) IS
    'Removes a node from the registry and returns the removed row; needs DELETE on steep_repl.nodes';
