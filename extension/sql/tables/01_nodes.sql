-- steep_repl.nodes: the node registry.
CREATE TABLE steep_repl.nodes (
    node_id text PRIMARY KEY
        CONSTRAINT nodes_node_id_check
        CHECK (node_id ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$'),
    node_name text NOT NULL
        CONSTRAINT nodes_node_name_check
        CHECK (length(node_name) <= 128 AND node_name !~ '^\s*$'),
    host text NOT NULL
        CONSTRAINT nodes_host_check
        CHECK (length(host) BETWEEN 1 AND 255 AND host !~ '\s'),
    port integer NOT NULL
        CONSTRAINT nodes_port_check CHECK (port BETWEEN 1 AND 65535),
    priority integer NOT NULL DEFAULT 50
        CONSTRAINT nodes_priority_check CHECK (priority BETWEEN 0 AND 100),
    registered_at timestamptz NOT NULL DEFAULT now(),
    registered_by name NOT NULL DEFAULT CURRENT_USER,
    last_heartbeat timestamptz
);

COMMENT ON TABLE steep_repl.nodes IS
    'Registered steep-repl nodes and their last heartbeat; write through register_node, heartbeat and deregister_node';

-- Writing needs an explicit grant (INSERT/UPDATE/DELETE): see docs/sql-api.md.
GRANT SELECT ON steep_repl.nodes TO PUBLIC;

SELECT pg_catalog.pg_extension_config_dump('steep_repl.nodes', '');
