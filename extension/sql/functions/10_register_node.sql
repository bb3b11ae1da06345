CREATE FUNCTION steep_repl._register_node(
    p_caller regrole,
    p_node_id text,
    p_node_name text,
    p_host text,
    p_port integer DEFAULT 5432,
    p_priority integer DEFAULT 50
)
RETURNS steep_repl.nodes
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_node steep_repl.nodes;
BEGIN
    PERFORM steep_repl._require_privilege(p_caller, 'steep_repl.nodes', 'INSERT, UPDATE');
    /*
     * Registers a node, or updates it when the id is known (registered_at
     * and registered_by stay).  Acts for p_caller, who needs INSERT and
     * UPDATE on steep_repl.nodes, and audits it in p_caller's name.
     */
    IF p_node_id IS NULL OR p_node_id !~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$' THEN
        RAISE EXCEPTION 'node id % is invalid', coalesce('"' || p_node_id || '"', 'NULL')
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'A node id has 1 to 63 letters, digits, "_", "." or "-" and starts with a letter or digit.';
    END IF;
    IF p_node_name IS NULL OR p_node_name ~ '^\s*$' THEN
        RAISE EXCEPTION 'node name must not be blank'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'A node name has 1 to 128 characters and not only white space.';
    END IF;
    IF length(p_node_name) > 128 THEN
        RAISE EXCEPTION 'node name is too long (% characters)', length(p_node_name)
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'A node name has 1 to 128 characters and not only white space.';
    END IF;
    IF p_host IS NULL OR p_host = '' OR length(p_host) > 255 OR p_host ~ '\s' THEN
        RAISE EXCEPTION 'host % is invalid', coalesce('"' || p_host || '"', 'NULL')
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'A host is a name or IP address of 1 to 255 characters without white space.';
    END IF;
    IF p_port IS NULL OR p_port NOT BETWEEN 1 AND 65535 THEN
        RAISE EXCEPTION 'port % is out of range', coalesce(p_port::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'A port is between 1 and 65535.';
    END IF;
    IF p_priority IS NULL OR p_priority NOT BETWEEN 0 AND 100 THEN
        RAISE EXCEPTION 'priority % is out of range', coalesce(p_priority::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'A priority is between 0 and 100.';
    END IF;

    INSERT INTO steep_repl.nodes AS n (node_id, node_name, host, port, priority, registered_by)
    VALUES (p_node_id, p_node_name, p_host, p_port, p_priority,
            (SELECT r.rolname FROM pg_catalog.pg_roles r WHERE r.oid = p_caller))
    ON CONFLICT (node_id) DO UPDATE
        SET node_name = EXCLUDED.node_name,
            host = EXCLUDED.host,
            port = EXCLUDED.port,
            priority = EXCLUDED.priority
    RETURNING n.* INTO v_node;

    PERFORM steep_repl._audit(p_caller, 'node.register', p_node_id,
            jsonb_build_object('node_name', p_node_name, 'host', p_host,
                               'port', p_port, 'priority', p_priority));
    RETURN v_node;
END;
$$;

COMMENT ON FUNCTION steep_repl._register_node(regrole, text, text, text, integer, integer) IS
    'Internal: the body of register_node, acting for the calling role p_caller (see src/with_caller.c)';

REVOKE ALL ON FUNCTION steep_repl._register_node(regrole, text, text, text, integer, integer) FROM PUBLIC;

-- Public entry point: calls _register_node with the caller's role (src/with_caller.c).
CREATE FUNCTION steep_repl.register_node(p_node_id text, p_node_name text, p_host text, p_port integer DEFAULT 5432, p_priority integer DEFAULT 50)
RETURNS steep_repl.nodes
LANGUAGE C
VOLATILE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'steep_repl_with_caller';

COMMENT ON FUNCTION steep_repl.register_node(text, text, text, integer, integer) IS
    'Registers a node or updates its name, host, port and priority; needs INSERT and UPDATE on steep_repl.nodes';
