#!/usr/bin/env bash
# The steep-repl demo: two throwaway local nodes with the extension in an application
# database (DEMO_DATABASE, default shop), as the quickstart has it, registered with each other,
# then node status, health, a job run by the background worker, a snapshot of node-a's demo
# data generated with the live progress bar and applied to node-b, schema compare, and, after
# the nodes diverge, overlap analysis, a dry run and a bidirectional merge.
# DEMO_DIR (default /tmp/steep-repl-demo) holds them; DEMO_KEEP=1 leaves them running.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
node=$here/local-node.sh
demo=${DEMO_DIR:-/tmp/steep-repl-demo}
port_a=${DEMO_PORT_A:-55431}
port_b=${DEMO_PORT_B:-55432}
steep=${STEEP_REPL:-steep-repl}
db=${DEMO_DATABASE:-shop}

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$'; printf ' %q' "$@"; printf '\n'; "$@"; }

cleanup() {
  if [ "${DEMO_KEEP:-0}" = 1 ]; then
    say "nodes left running (DEMO_KEEP=1); stop them with: $node stop $demo/node-a; $node stop $demo/node-b"
    return
  fi
  for n in node-a node-b; do
    [ -f "$demo/$n/data/postmaster.pid" ] && "$node" stop "$demo/$n" || true
  done
  rm -rf "$demo"
}
if [ -e "$demo" ]; then
  echo "error: $demo exists (a previous demo still running?)" >&2
  echo "hint: stop it with '$node stop $demo/node-a' (and node-b), remove $demo, or set DEMO_DIR" >&2
  exit 1
fi
trap cleanup EXIT

say "two throwaway nodes with steep_repl in shared_preload_libraries"
"$node" create "$demo/node-a" "$port_a"
"$node" create "$demo/node-b" "$port_b"
# Over TCP the nodes ask for a password (scram-sha-256). When one server reaches the other
# (overlap analysis, merge), libpq finds it in this password file, which the servers inherit.
secret=$(od -An -tx8 -N8 /dev/urandom | tr -d ' \n')
export PGPASSFILE=$demo/pgpass
printf '127.0.0.1:*:*:postgres:%s\n' "$secret" > "$PGPASSFILE"
chmod 600 "$PGPASSFILE"
[ "$(id -u)" -eq 0 ] && chown postgres: "$PGPASSFILE"
"$node" start "$demo/node-a"
"$node" start "$demo/node-b"

# Named connections: the CLI takes '-c node-a' from this file (pg_service.conf format).
export STEEP_REPL_CONNECTIONS=$demo/connections.conf
{
  printf '[node-a]\n%s\n' "$("$node" conninfo "$demo/node-a" "$db" | tr ' ' '\n')"
  printf '[node-b]\n%s\n' "$("$node" conninfo "$demo/node-b" "$db" | tr ' ' '\n')"
} > "$STEEP_REPL_CONNECTIONS"
run cat "$STEEP_REPL_CONNECTIONS"

say "the quickstart: CREATE EXTENSION in the application database $db; its jobs run without more settings"
for n in node-a node-b; do
  psql "$("$node" conninfo "$demo/$n")" -Xq <<<"ALTER ROLE postgres PASSWORD '$secret'"
  run psql "$("$node" conninfo "$demo/$n")" -qc "CREATE DATABASE $db"
  run psql "$("$node" conninfo "$demo/$n" "$db")" -qc "CREATE EXTENSION steep_repl"
done

say "register both nodes in each node's registry"
for on in node-a node-b; do
  run "$steep" -c "$on" node register node-a --name "Node A" --host 127.0.0.1 --port "$port_a" --priority 60
  run "$steep" -c "$on" node register node-b --name "Node B" --host 127.0.0.1 --port "$port_b"
  run "$steep" -c "$on" node heartbeat "$on"
done

say "node status (node-b has not sent a heartbeat to node-a's registry)"
run "$steep" -c node-a node status
run "$steep" -c node-a --json node status node-a

say "health of node-a: extension, shared memory, supervisor, Java worker, the served database, queue"
run "$steep" -c node-a health

say "a job run by node-a's background worker"
run "$steep" -c node-a jobs submit ping --wait
run "$steep" -c node-a jobs list

say "demo data on node-a: a shop with customers, orders and a sequence"
run psql "$("$node" conninfo "$demo/node-a" "$db")" -q <<'SQL'
CREATE TABLE public.customers (id bigserial PRIMARY KEY, name text NOT NULL, email text UNIQUE);
CREATE TABLE public.orders (id bigserial PRIMARY KEY, customer bigint REFERENCES public.customers,
                            total numeric(12,2) NOT NULL, placed_at timestamptz NOT NULL);
INSERT INTO public.customers (name, email)
  SELECT 'customer ' || g, 'c' || g || '@example.com' FROM generate_series(1, 20000) g;
INSERT INTO public.orders (customer, total, placed_at)
  SELECT 1 + g % 20000, (g % 997) * 1.25, '2026-01-01'::timestamptz + g * interval '1 minute'
  FROM generate_series(1, 500000) g;
SQL

# The server writes the snapshot: the directory must belong to its OS user.
snapdir=$demo/snapshots
mkdir -p "$snapdir"
[ "$(id -u)" -eq 0 ] && chown postgres: "$snapdir"

say "generate a snapshot of node-a (zstd, 2 connections) with the live progress bar"
run "$steep" -c node-a snapshot generate node-a --output "$snapdir/shop" --compression zstd --parallel 2

say "check it offline against its manifest (no database needed)"
run "$steep" snapshot verify "$snapdir/shop"

say "apply it to node-b (empty: the schema comes from the snapshot)"
run "$steep" -c node-b snapshot apply node-b --input "$snapdir/shop" --parallel 2

say "both nodes hold the same data: row counts and an ordered content digest per table"
digest_sql="SELECT 'customers' AS tab, count(*) AS row_count, md5(string_agg(c::text, ',' ORDER BY id)) AS digest FROM public.customers c
UNION ALL SELECT 'orders', count(*), md5(string_agg(o::text, ',' ORDER BY id)) FROM public.orders o
UNION ALL SELECT 'orders_id_seq', last_value, NULL FROM public.orders_id_seq ORDER BY 1"
for n in node-a node-b; do
  echo "-- $n"
  run psql "$("$node" conninfo "$demo/$n" "$db")" -X -c "$digest_sql"
done
a=$(psql "$("$node" conninfo "$demo/node-a" "$db")" -XAtc "$digest_sql")
b=$(psql "$("$node" conninfo "$demo/node-b" "$db")" -XAtc "$digest_sql")
if [ "$a" = "$b" ]; then echo "same data on node-a and node-b"; else echo "error: node-a and node-b differ" >&2; exit 1; fi

say "the snapshot history on each node"
run "$steep" -c node-a snapshot list
run "$steep" -c node-b snapshot list

# ---- schema fingerprints and compare ---------------------------------------
say "schema compare: the same table on both nodes; the CLI reaches them through the named connections node-a and node-b"
for n in node-a node-b; do
  run psql "$("$node" conninfo "$demo/$n" "$db")" -Xqc "CREATE SCHEMA inventory;
    CREATE TABLE inventory.items (id bigserial PRIMARY KEY, sku varchar(10) NOT NULL, price numeric(10,2) DEFAULT 0);
    CREATE INDEX items_sku ON inventory.items (sku);"
done
run "$steep" -c node-a schema compare node-a node-b --schema inventory

say "alter node-b: a wider sku (blocking) and another default (informational); compare again: exit code 3"
run psql "$("$node" conninfo "$demo/node-b" "$db")" -Xqc "ALTER TABLE inventory.items ALTER COLUMN sku TYPE varchar(20), ALTER COLUMN price SET DEFAULT 1"
status=0
run "$steep" -c node-a schema compare node-a node-b --schema inventory || status=$?
echo "exit code $status"
[ "$status" -eq 3 ] || { echo "error: expected exit code 3 (blocking difference)" >&2; exit 1; }
run "$steep" -c node-a schema diff --table inventory.items node-a node-b --json || true

# ---- overlap analysis and bidirectional merge -------------------------------
say "diverge the nodes: a customer and an order on each side only, one customer changed on both"
for n in node-a node-b; do
  run psql "$("$node" conninfo "$demo/$n" "$db")" -Xqc "ALTER TABLE inventory.items ALTER COLUMN sku TYPE varchar(20)"
done
run psql "$("$node" conninfo "$demo/node-a" "$db")" -Xq <<'SQL'
CREATE EXTENSION dblink;  -- node-a's server reaches node-b through dblink
INSERT INTO public.customers (id, name, email) VALUES (900001, 'only on node-a', 'a@example.com');
INSERT INTO public.orders (id, customer, total, placed_at) VALUES (900001, 900001, 10, '2026-06-01 10:00+00');
UPDATE public.customers SET name = 'renamed on node-a' WHERE id = 7;
SQL
run psql "$("$node" conninfo "$demo/node-b" "$db")" -Xq <<'SQL'
INSERT INTO public.customers (id, name, email) VALUES (900002, 'only on node-b', 'b@example.com');
INSERT INTO public.orders (id, customer, total, placed_at) VALUES (900002, 900002, 20, '2026-06-01 11:00+00');
UPDATE public.customers SET name = 'renamed on node-b' WHERE id = 7;
SQL

say "overlap analysis: which rows are on one node only, equal, or conflicting"
run "$steep" -c node-a overlap node-a node-b --tables public.customers,public.orders

say "a dry run of the merge: the plan, recorded in merge_decisions, and no change"
run "$steep" -c node-a merge node-a node-b --tables public.orders,public.customers --strategy prefer-local --dry-run

say "merge both ways (parents first: customers, then orders); the conflict goes node-a's way"
run "$steep" -c node-a merge node-a node-b --tables public.orders,public.customers --strategy prefer-local

say "analyze again: nothing left on one side only, no conflict"
run "$steep" -c node-a overlap node-a node-b --tables public.customers,public.orders
left=$(psql "$("$node" conninfo "$demo/node-a" "$db")" -XAtc "SELECT sum(local_only + remote_only + conflicts)
  FROM steep_repl.analyze_overlap('node-b', ARRAY['public.customers', 'public.orders'])")
[ "$left" = 0 ] || { echo "error: the nodes still differ after the merge ($left rows)" >&2; exit 1; }
echo "node-a and node-b hold the same customers and orders"
run psql "$("$node" conninfo "$demo/node-a" "$db")" -Xc \
  "SELECT table_name, category, resolution, key_text FROM steep_repl.merge_decisions WHERE NOT dry_run ORDER BY 1, 2, 4"
