-- Node registry: register, heartbeat, status, deregister, and bad inputs.
\set SHOW_CONTEXT never

SELECT node_id, node_name, host, port, priority, registered_by, last_heartbeat
FROM steep_repl.register_node('node-a', 'Node A', 'db-a.example.com');
SELECT node_id, port, priority
FROM steep_repl.register_node('node_b.2', 'Node B', '10.0.0.2', 5433, 90);

-- Re-registering updates the node but keeps when and by whom it was registered.
CREATE TEMP TABLE first_registration AS
    SELECT registered_at, registered_by FROM steep_repl.nodes WHERE node_id = 'node-a';
SELECT node_id, node_name, host, port, priority
FROM steep_repl.register_node('node-a', 'Node A (primary)', 'db-a2.example.com', 6432, 10);
SELECT n.registered_at = f.registered_at AS registered_at_kept,
       n.registered_by = f.registered_by AS registered_by_kept
FROM steep_repl.nodes n, first_registration f WHERE n.node_id = 'node-a';

-- Without a heartbeat a node is not healthy.
SELECT node_id, last_heartbeat, heartbeat_age, is_healthy, state FROM steep_repl.node_status();

SELECT node_id, last_heartbeat = now() AS just_now FROM steep_repl.heartbeat('node-a');
SELECT node_id, heartbeat_age < interval '1 minute' AS recent, is_healthy, state
FROM steep_repl.node_status('node-a');

-- An old heartbeat is stale under the default steep_repl.heartbeat_stale_after
-- (1min), healthy again under a longer one.
UPDATE steep_repl.nodes SET last_heartbeat = now() - interval '2 minutes' WHERE node_id = 'node-a';
SHOW steep_repl.heartbeat_stale_after;
SELECT node_id, heartbeat_age >= interval '2 minutes' AS old, is_healthy, state
FROM steep_repl.node_status('node-a');
SET steep_repl.heartbeat_stale_after = '5min';
SELECT node_id, heartbeat_age >= interval '2 minutes' AS old, is_healthy, state
FROM steep_repl.node_status('node-a');
RESET steep_repl.heartbeat_stale_after;

-- Unknown nodes.
SELECT steep_repl.heartbeat('node-x');
SELECT * FROM steep_repl.node_status('node-x');
SELECT steep_repl.deregister_node('node-x');

-- Bad inputs: SQLSTATE, message and hint.
SELECT t.call, try(t.call)
FROM (VALUES
    ($$SELECT steep_repl.register_node('', 'n', 'h')$$),
    ($$SELECT steep_repl.register_node(NULL, 'n', 'h')$$),
    ($$SELECT steep_repl.register_node('-a', 'n', 'h')$$),
    ($$SELECT steep_repl.register_node('a b', 'n', 'h')$$),
    ($$SELECT steep_repl.register_node(repeat('a', 64), 'n', 'h')$$),
    ($$SELECT steep_repl.register_node('a', '', 'h')$$),
    ($$SELECT steep_repl.register_node('a', '   ', 'h')$$),
    ($$SELECT steep_repl.register_node('a', NULL, 'h')$$),
    ($$SELECT steep_repl.register_node('a', repeat('n', 129), 'h')$$),
    ($$SELECT steep_repl.register_node('a', 'n', '')$$),
    ($$SELECT steep_repl.register_node('a', 'n', ' ')$$),
    ($$SELECT steep_repl.register_node('a', 'n', 'db host')$$),
    ($$SELECT steep_repl.register_node('a', 'n', repeat('h', 256))$$),
    ($$SELECT steep_repl.register_node('a', 'n', 'h', 0)$$),
    ($$SELECT steep_repl.register_node('a', 'n', 'h', 70000)$$),
    ($$SELECT steep_repl.register_node('a', 'n', 'h', NULL)$$),
    ($$SELECT steep_repl.register_node('a', 'n', 'h', 5432, -1)$$),
    ($$SELECT steep_repl.register_node('a', 'n', 'h', 5432, 101)$$)
) AS t(call);

-- The limits themselves are valid.
SELECT node_id, length(node_name) AS name_length, length(host) AS host_length, port, priority
FROM steep_repl.register_node(repeat('z', 63), repeat('n', 128), repeat('h', 255), 65535, 0);
SELECT node_id, port, priority FROM steep_repl.register_node('1', 'n', 'h', 1, 100);

-- The table refuses invalid rows written around the functions.
SELECT try($$INSERT INTO steep_repl.nodes (node_id, node_name, host, port) VALUES ('ok', 'n', 'h', 0)$$);
SELECT try($$INSERT INTO steep_repl.nodes (node_id, node_name, host, port) VALUES ('not ok', 'n', 'h', 1)$$);
SELECT try($$INSERT INTO steep_repl.nodes (node_id, node_name, host, port) VALUES ('ok', ' ', 'h', 1)$$);

-- Writing needs a grant; reading does not.
SET ROLE regress_alice;
SELECT count(*) FROM steep_repl.node_status();
SELECT steep_repl.register_node('node-c', 'Node C', 'h');
SELECT steep_repl.heartbeat('node-a');
RESET ROLE;
SET ROLE regress_node_admin;
SELECT node_id, registered_by FROM steep_repl.register_node('node-c', 'Node C', 'db-c');
SELECT node_id FROM steep_repl.heartbeat('node-c');
SELECT node_id, node_name FROM steep_repl.deregister_node('node-c');
RESET ROLE;

SELECT node_id, node_name, host, port, priority FROM steep_repl.deregister_node('node_b.2');
SELECT node_id FROM steep_repl.node_status();

-- Each registration and deregistration is audited, with its actor.
SELECT action, target, actor, details - ARRAY['registered_at', 'last_heartbeat'] AS details
FROM steep_repl.audit_log
WHERE length(target) < 63
ORDER BY id;
