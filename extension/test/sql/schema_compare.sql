-- compare_schema and column_diff against a peer database of the same
-- cluster, reached through dblink with a connection string; the peer does
-- not have steep_repl.
\set SHOW_CONTEXT never
SET client_min_messages = warning;

SELECT format('host=%s port=%s dbname=regress_schema_peer user=%s',
              current_setting('unix_socket_directories'), current_setting('port'), current_user) AS peer \gset

-- Shows an error's SQLSTATE, message, detail and hint.
CREATE FUNCTION public.try_detail(p_sql text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    v_state text;
    v_message text;
    v_detail text;
    v_hint text;
BEGIN
    EXECUTE p_sql;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT,
                            v_detail = PG_EXCEPTION_DETAIL, v_hint = PG_EXCEPTION_HINT;
    RETURN v_state || ': ' || v_message || ' DETAIL: ' || v_detail || ' HINT: ' || v_hint;
END;
$$;

-- Without dblink: a clear error naming the fix.
SELECT try($$SELECT * FROM steep_repl.compare_schema('host=nowhere')$$);
CREATE EXTENSION dblink;

CREATE DATABASE regress_schema_peer;
\c regress_schema_peer
SET client_min_messages = warning;
CREATE SCHEMA cmp;
CREATE TABLE cmp.same (id int PRIMARY KEY, note text);
CREATE TABLE cmp.typmod (id int PRIMARY KEY, name varchar(20));
CREATE TABLE cmp.defaults (id int PRIMARY KEY, state text DEFAULT 'new');
CREATE TABLE cmp.nullability (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE cmp.missing_column (id int PRIMARY KEY, a int, b int);
CREATE TABLE cmp.extra_index (id int PRIMARY KEY, email text);
CREATE INDEX extra_index_email ON cmp.extra_index (email);
CREATE TABLE cmp.pk (a int, b int, PRIMARY KEY (a, b));
CREATE TABLE cmp.checks (id int PRIMARY KEY, qty int CHECK (qty > 0));
CREATE TABLE cmp.ordered (b int, a int);
CREATE TABLE cmp."MiXed ""Name""" ("Id" int PRIMARY KEY, "Value" numeric(8, 2));
CREATE TABLE cmp.parted (id int, at date) PARTITION BY RANGE (at);
CREATE TABLE cmp.parted_2024 PARTITION OF cmp.parted FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE cmp.remote_table (id int);
\c contrib_regression
SET client_min_messages = warning;
\set SHOW_CONTEXT never
CREATE SCHEMA cmp;
CREATE TABLE cmp.same (id int PRIMARY KEY, note text);
CREATE TABLE cmp.typmod (id int PRIMARY KEY, name varchar(10));
CREATE TABLE cmp.defaults (id int PRIMARY KEY, state text DEFAULT 'open');
CREATE TABLE cmp.nullability (id int PRIMARY KEY, name text);
CREATE TABLE cmp.missing_column (id int PRIMARY KEY, a int);
CREATE TABLE cmp.extra_index (id int PRIMARY KEY, email text);
CREATE TABLE cmp.pk (a int, b int, PRIMARY KEY (a));
CREATE TABLE cmp.checks (id int PRIMARY KEY, qty int CHECK (qty >= 0));
CREATE TABLE cmp.ordered (a int, b int);
CREATE TABLE cmp."MiXed ""Name""" ("Id" int PRIMARY KEY, "Value" numeric(8, 2));
CREATE TABLE cmp.parted (id int, at date) PARTITION BY RANGE (at);
CREATE TABLE cmp.parted_2024 PARTITION OF cmp.parted FOR VALUES FROM ('2024-01-01') TO ('2024-07-01');
CREATE TABLE cmp.local_table (id int);

-- One row per table: status, blocking, differing components.
SELECT table_name, status, blocking, components
FROM steep_repl.compare_schema(:'peer', ARRAY['cmp']);

-- What differs, classified.
SELECT c.table_name, d->>'component' AS component, d->>'object' AS object, d->>'difference' AS difference,
       d->>'local' AS local, d->>'remote' AS remote, d->>'blocking' AS blocking
FROM steep_repl.compare_schema(:'peer', ARRAY['cmp']) c, jsonb_array_elements(c.differences) d
WHERE c.status = 'mismatch';

-- Column order counts when asked for.
SELECT table_name, status, blocking, components
FROM steep_repl.compare_schema(:'peer', ARRAY['cmp'], p_include_column_order => true)
WHERE table_name IN ('ordered', 'same');
SELECT * FROM steep_repl.column_diff(:'peer', 'cmp.ordered', true);

-- column_diff: schema-qualified, quoted as in SQL.
SELECT * FROM steep_repl.column_diff(:'peer', 'cmp.typmod');
SELECT * FROM steep_repl.column_diff(:'peer', 'cmp.missing_column');
SELECT * FROM steep_repl.column_diff(:'peer', 'cmp."MiXed ""Name"""');
SELECT * FROM steep_repl.column_diff(:'peer', 'cmp.remote_table');
SELECT try($$SELECT * FROM steep_repl.column_diff('host=x', 'typmod')$$);
SELECT try(format('SELECT * FROM steep_repl.column_diff(%L, %L)', :'peer', 'cmp.nothing'));

-- The same through compare_fingerprints with documents fetched separately.
SELECT count(*) AS rows_equal
FROM steep_repl.compare_schema(:'peer', ARRAY['cmp']) a
JOIN steep_repl.compare_fingerprints(
         steep_repl.peer_fingerprints('dbname=contrib_regression host=' || current_setting('unix_socket_directories')
                                      || ' port=' || current_setting('port') || ' user=' || current_user, ARRAY['cmp']),
         steep_repl.peer_fingerprints(:'peer', ARRAY['cmp'])) b
  ON (a.table_name, a.status, a.blocking, a.components, a.differences)
   = (b.table_name, b.status, b.blocking, b.components, b.differences);
SELECT try($$SELECT * FROM steep_repl.compare_fingerprints('{"format": 1, "include_column_order": true}', '{"format": 1}')$$);

-- A registered node id: host and port from the registry, this database and
-- user; here the node is this very database, so everything matches.
SELECT (steep_repl.register_node('self', 'This cluster', current_setting('unix_socket_directories'),
                                current_setting('port')::integer)).node_id AS registered;
SELECT status, count(*) FROM steep_repl.compare_schema('self', ARRAY['cmp']) GROUP BY 1 ORDER BY 1;
SELECT try($$SELECT * FROM steep_repl.compare_schema('ghost')$$);
SELECT (steep_repl.deregister_node('self')).node_id AS deregistered;

-- An unreachable peer: a connection error (08001) without the password.
SELECT try_detail($$SELECT * FROM steep_repl.compare_schema('host=127.0.0.1 port=1 dbname=x password=s3cret-pw')$$);
SELECT try_detail($$SELECT * FROM steep_repl.compare_schema('postgresql://u:s3cret-pw@127.0.0.1:1/x')$$);
-- A malformed string with a password: libpq's message is withheld.
SELECT try_detail($$SELECT * FROM steep_repl.compare_schema('host=x password=s3cret pw')$$);
SELECT try_detail($$SELECT * FROM steep_repl.compare_schema('host=x nonsense=1')$$);
SELECT steep_repl.redact_conninfo('host=db password=''a b'' user=u'),
       steep_repl.redact_conninfo('postgresql://u:pw@db/app?password=x');

-- A role without privileges may compare; dblink then wants a password the
-- peer asks for (this cluster trusts local connections, so it refuses).
CREATE ROLE regress_schema_reader LOGIN;
SET ROLE regress_schema_reader;
SELECT replace(try_detail(format('SELECT * FROM steep_repl.compare_schema(%L)',
                                 :'peer' || ' user=regress_schema_reader')), :'peer', 'PEER');
SELECT replace(try_detail(format('SELECT * FROM steep_repl.compare_schema(%L)',
                                 :'peer' || ' user=regress_schema_reader password=s3cret-pw')), :'peer', 'PEER');
SELECT count(*) > 0 AS reader_fingerprints FROM steep_repl.fingerprints(ARRAY['cmp']);
RESET ROLE;
DROP ROLE regress_schema_reader;

-- A foreign server with a user mapping names the peer without a password in
-- the statement, which the server log would keep when the call fails.  This
-- cluster asks regress_schema_mapped, and only it, for its password.
CREATE ROLE regress_schema_mapped LOGIN PASSWORD 'm4pped-pw';
CREATE ROLE regress_schema_unmapped LOGIN;
DO $$
BEGIN
    EXECUTE format('CREATE SERVER regress_peer FOREIGN DATA WRAPPER dblink_fdw OPTIONS (host %L, port %L, dbname %L)',
                   current_setting('unix_socket_directories'), current_setting('port'), 'regress_schema_peer');
END;
$$;
CREATE USER MAPPING FOR regress_schema_mapped SERVER regress_peer
    OPTIONS (user 'regress_schema_mapped', password 'm4pped-pw');
GRANT USAGE ON FOREIGN SERVER regress_peer TO regress_schema_mapped, regress_schema_unmapped;
SET ROLE regress_schema_mapped;
SELECT rolsuper FROM pg_roles WHERE rolname = current_user;
SELECT status, count(*) FROM steep_repl.compare_schema('regress_peer', ARRAY['cmp']) GROUP BY 1 ORDER BY 1;
SELECT * FROM steep_repl.column_diff('regress_peer', 'cmp.typmod');
-- Another role cannot use that mapping: without one of its own it is refused.
SET ROLE regress_schema_unmapped;
SELECT try_detail($$SELECT * FROM steep_repl.compare_schema('regress_peer')$$);
RESET ROLE;
-- Without USAGE on the server, even with a mapping for PUBLIC.
REVOKE USAGE ON FOREIGN SERVER regress_peer FROM regress_schema_unmapped;
CREATE USER MAPPING FOR PUBLIC SERVER regress_peer OPTIONS (user 'regress_schema_unmapped');
SET ROLE regress_schema_unmapped;
SELECT try_detail($$SELECT * FROM steep_repl.compare_schema('regress_peer')$$);
RESET ROLE;
-- A wrong password in the mapping: the peer's refusal, without the password.
ALTER USER MAPPING FOR regress_schema_mapped SERVER regress_peer OPTIONS (SET password 'wr0ng-pw');
SET ROLE regress_schema_mapped;
SELECT regexp_replace(try_detail($$SELECT * FROM steep_repl.compare_schema('regress_peer')$$),
                      'socket "[^"]*"', 'socket SOCK') AS refused;
RESET ROLE;
-- A registered node of the same name comes first.
SELECT (steep_repl.register_node('regress_peer', 'Also a node', current_setting('unix_socket_directories'),
                                current_setting('port')::integer)).node_id AS registered;
SELECT status, count(*) FROM steep_repl.compare_schema('regress_peer', ARRAY['cmp']) GROUP BY 1 ORDER BY 1;
SELECT (steep_repl.deregister_node('regress_peer')).node_id AS deregistered;
DROP SERVER regress_peer CASCADE;
DROP ROLE regress_schema_mapped;
DROP ROLE regress_schema_unmapped;

-- A service of the server's service file (run-regress.sh gives the server
-- one): for superusers, as dblink wants a password in the string from others.
SELECT status, count(*)
FROM steep_repl.compare_schema('service=regress_self dbname=regress_schema_peer', ARRAY['cmp'])
GROUP BY 1 ORDER BY 1;

-- No dblink connection is left open.
SELECT dblink_get_connections();
DROP DATABASE regress_schema_peer;
