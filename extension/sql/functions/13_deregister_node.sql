CREATE FUNCTION steep_repl._deregister_node(p_caller regrole, p_node_id text)
RETURNS steep_repl.nodes
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_node steep_repl.nodes;
BEGIN
    PERFORM steep_repl._require_privilege(p_caller, 'steep_repl.nodes', 'DELETE');
    DELETE FROM steep_repl.nodes n
    WHERE n.node_id = p_node_id
    RETURNING n.* INTO v_node;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'node % does not exist', coalesce('"' || p_node_id || '"', 'NULL')
            USING ERRCODE = 'undefined_object',
                  HINT = 'steep_repl.node_status() lists the registered nodes.';
    END IF;

    PERFORM steep_repl._audit(p_caller, 'node.deregister', p_node_id, to_jsonb(v_node));
    RETURN v_node;
END;
$$;

COMMENT ON FUNCTION steep_repl._deregister_node(regrole, text) IS
    'Internal: the body of deregister_node, acting for the calling role p_caller (see src/with_caller.c)';

REVOKE ALL ON FUNCTION steep_repl._deregister_node(regrole, text) FROM PUBLIC;

-- Public entry point: calls _deregister_node with the caller's role (src/with_caller.c).
CREATE FUNCTION steep_repl.deregister_node(p_node_id text)
RETURNS steep_repl.nodes
LANGUAGE C
VOLATILE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'steep_repl_with_caller';

COMMENT ON FUNCTION steep_repl.deregister_node(text) IS
    'Removes a node from the registry and returns the removed row; needs DELETE on steep_repl.nodes';
