CREATE FUNCTION steep_repl._heartbeat(p_caller regrole, p_node_id text)
RETURNS steep_repl.nodes
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_node steep_repl.nodes;
BEGIN
    PERFORM steep_repl._require_privilege(p_caller, 'steep_repl.nodes', 'UPDATE');
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

COMMENT ON FUNCTION steep_repl._heartbeat(regrole, text) IS
    'Internal: the body of heartbeat, acting for the calling role p_caller (see src/with_caller.c)';

REVOKE ALL ON FUNCTION steep_repl._heartbeat(regrole, text) FROM PUBLIC;

-- Public entry point: calls _heartbeat with the caller's role (src/with_caller.c).
CREATE FUNCTION steep_repl.heartbeat(p_node_id text)
RETURNS steep_repl.nodes
LANGUAGE C
VOLATILE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'steep_repl_with_caller';

COMMENT ON FUNCTION steep_repl.heartbeat(text) IS
    'Records that a node is alive now; needs UPDATE on steep_repl.nodes';
