#!/usr/bin/env bash
# Snapshot benchmarks (docs/snapshots.md; issue targets in bench/README.md), on one local node
# with one dataset: pgbench at BENCH_SCALE plus schema bench_ds with one dominant table and
# BENCH_SMALL_TABLES small ones. Each comparison runs BENCH_RUNS times with BENCH_JOBS
# connections on both sides; the best time counts. Measures only, asserts nothing.
#
#   generate (none)  vs  pg_dump -Fd -j N -Z0
#   generate (zstd)  vs  pg_dump -Fd -j N (gzip, its default)
#   generate (none)  vs  raw COPY ... TO STDOUT > /dev/null over N psql connections
#   apply            vs  pg_restore -j N into an empty database (same server)
#   worker RSS (max, sampled every 0.2 s) while generating BENCH_RSS_SMALL_GB and BENCH_RSS_LARGE_GB
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
node=$here/../scripts/local-node.sh
dir=${BENCH_DIR:-/tmp/steep-repl-bench-snapshot}
port=${BENCH_PORT:-55451}
scale=${BENCH_SCALE:-10}
dominant_mb=${BENCH_DOMINANT_MB:-800}
small_tables=${BENCH_SMALL_TABLES:-200}
jobs=${BENCH_JOBS:-2}
runs=${BENCH_RUNS:-2}
rss_small_gb=${BENCH_RSS_SMALL_GB:-0.5}
rss_large_gb=${BENCH_RSS_LARGE_GB:-5}

if [ -e "$dir" ]; then echo "error: $dir exists; remove it or set BENCH_DIR" >&2; exit 1; fi
cleanup() {
  [ -f "$dir/node/data/postmaster.pid" ] && "$node" stop "$dir/node" || true
  rm -rf "$dir"
}
trap cleanup EXIT

"$node" create "$dir/node" "$port"
"$node" start "$dir/node"
conn=$("$node" conninfo "$dir/node")
# Warnings and errors only: DROP ... CASCADE would list every table it drops.
q() { PGOPTIONS="-c client_min_messages=warning" psql "$conn" -XAtq -v ON_ERROR_STOP=1 "$@"; }
out=$dir/out
mkdir -p "$out"
[ "$(id -u)" -eq 0 ] && chown postgres: "$out"
as_server() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

q -c "CREATE EXTENSION steep_repl"
echo "== dataset: pgbench scale $scale, bench_ds.dominant about ${dominant_mb} MB, $small_tables small tables"
pgbench "$conn" -i -q -s "$scale" >/dev/null 2>&1
q <<SQL
CREATE SCHEMA bench_ds;
CREATE TABLE bench_ds.dominant (id bigint PRIMARY KEY, customer int NOT NULL, note text, amount numeric(12,2));
-- about 100 bytes a row
INSERT INTO bench_ds.dominant
  SELECT g, g % 100000, md5(g::text) || md5((g * 7)::text), g % 10000 / 100.0
  FROM generate_series(1, ($dominant_mb::bigint * 1024 * 1024 / 130)::bigint) g;
DO \$\$
BEGIN
  FOR i IN 1..$small_tables LOOP
    EXECUTE format('CREATE TABLE bench_ds.%I (id int PRIMARY KEY, v text)', 'small_' || i);
    EXECUTE format('INSERT INTO bench_ds.%I SELECT g, md5(g::text) FROM generate_series(1, 500) g', 'small_' || i);
  END LOOP;
END;
\$\$;
VACUUM ANALYZE;
SQL
q -c "SELECT 'database size: ' || pg_size_pretty(pg_database_size('postgres'))"

# generate <compression> <dir> / apply <dir>: start_snapshot or start_apply, then wait in a second statement (the worker
# sees the job once the first one has committed). Prints the elapsed seconds.
# Each timed run starts after `sync`, so no run pays for writing back the files of the one before.
generate() {
  local start id status
  sync
  start=$(now)
  id=$(q -c "SELECT snapshot_id FROM steep_repl.start_snapshot('$2', '$1', $jobs)")
  status=$(q -c "SELECT status || coalesce(': ' || error_message, '') FROM steep_repl.wait_snapshot('$id')")
  [ "$status" = complete ] || { echo "generate $id: $status" >&2; return 1; }
  seconds "$start" "$(now)"
}
apply() {
  local start id status
  sync
  start=$(now)
  id=$(q -c "SELECT snapshot_id FROM steep_repl.start_apply('$1', $jobs)")
  status=$(q -c "SELECT status || coalesce(': ' || error_message, '') FROM steep_repl.wait_snapshot('$id')")
  [ "$status" = complete ] || { echo "apply $id: $status" >&2; return 1; }
  seconds "$start" "$(now)"
}
timed() { local start; sync; start=$(now); "$@" >/dev/null; seconds "$start" "$(now)"; }
best() { printf '%s\n' "$@" | sort -n | head -n 1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
report() { printf '%-44s %8ss  vs %-34s %8ss  ratio %s (target %s)\n' "$1" "$2" "$3" "$4" "$(ratio "$2" "$4")" "$5"; }

# Raw COPY baseline: the parts generate copies (tables over the 256 MB split threshold cut into
# CTID ranges of total / (8 x N), between 16 and 128 MB), spread over $jobs psql connections,
# largest part first.
raw_copy() {
  local list=$dir/copy-list i
  q -c "
    WITH t AS (
      SELECT format('%I.%I', n.nspname, c.relname) AS tab, pg_relation_size(c.oid) AS bytes
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'r' AND n.nspname IN ('public', 'bench_ds')),
    chunk AS (
      SELECT (least(128 * 1024 * 1024, greatest(16 * 1024 * 1024, sum(bytes) / (8 * $jobs))) / 8192)::bigint AS pages FROM t),
    parts AS (
      SELECT tab, bytes, format('COPY (SELECT * FROM %s) TO STDOUT', tab) AS sql FROM t WHERE bytes <= 256 * 1024 * 1024
      UNION ALL
      SELECT tab, chunk.pages * 8192,
             format('COPY (SELECT * FROM ONLY %s WHERE ctid >= ''(%s,0)''%s) TO STDOUT', tab, s,
                    CASE WHEN s + chunk.pages < bytes / 8192 THEN format(' AND ctid < ''(%s,0)''', s + chunk.pages) ELSE '' END)
      FROM t, chunk, generate_series(0, bytes / 8192 - 1, chunk.pages) s
      WHERE bytes > 256 * 1024 * 1024)
    SELECT (row_number() OVER (ORDER BY bytes DESC) - 1) % $jobs || E'\t' || sql || ';' FROM parts ORDER BY bytes DESC" > "$list"
  for i in $(seq 0 $((jobs - 1))); do
    awk -F'\t' -v w="$i" '$1 == w { print $2 }' "$list" | psql "$conn" -Xq >/dev/null &
  done
  wait
}

echo
echo "== generate vs pg_dump, raw COPY (N=$jobs, best of $runs)"
g_none=(); g_zstd=(); d_none=(); d_gzip=(); raw=()
for r in $(seq "$runs"); do
  g_none+=("$(generate none "$out/none-$r")")
  g_zstd+=("$(generate zstd "$out/zstd-$r")")
  d_none+=("$(timed as_server pg_dump -d "$conn" -Fd -j "$jobs" -Z0 -f "$out/dump-none-$r")")
  d_gzip+=("$(timed as_server pg_dump -d "$conn" -Fd -j "$jobs" -f "$out/dump-gzip-$r")")
  raw+=("$(timed raw_copy)")
done
report "generate, no compression" "$(best "${g_none[@]}")" "pg_dump -Fd -j $jobs -Z0" "$(best "${d_none[@]}")" "<= 0.6"
report "generate, zstd" "$(best "${g_zstd[@]}")" "pg_dump -Fd -j $jobs (gzip)" "$(best "${d_gzip[@]}")" "<= 0.5"
report "generate, no compression" "$(best "${g_none[@]}")" "raw COPY to /dev/null, $jobs conns" "$(best "${raw[@]}")" "<= 1.25"
du -sh "$out/none-1" "$out/zstd-1" "$out/dump-none-1" "$out/dump-gzip-1" | sed 's/^/size /'

echo
echo "== apply vs pg_restore into an empty database (N=$jobs, best of $runs)"
# Apply runs in the node's postgres database: a second cluster would double the memory, so
# the source tables are moved away and the snapshot is loaded back into the same database.
q -c "ALTER SCHEMA bench_ds RENAME TO bench_src; CREATE SCHEMA bench_pgbench_src"
q -c "ALTER TABLE pgbench_accounts SET SCHEMA bench_pgbench_src; ALTER TABLE pgbench_branches SET SCHEMA bench_pgbench_src;
      ALTER TABLE pgbench_tellers SET SCHEMA bench_pgbench_src; ALTER TABLE pgbench_history SET SCHEMA bench_pgbench_src"
a=(); rs=()
for r in $(seq "$runs"); do
  q -c "DROP SCHEMA IF EXISTS bench_ds CASCADE; DROP TABLE IF EXISTS pgbench_accounts, pgbench_branches, pgbench_tellers, pgbench_history"
  a+=("$(apply "$out/none-1")")
  q -c "DROP DATABASE IF EXISTS restore_target" -c "CREATE DATABASE restore_target"
  rs+=("$(timed as_server pg_restore -d "$(echo "$conn" | sed 's/dbname=postgres/dbname=restore_target/')" -j "$jobs" "$out/dump-none-1")")
done
report "apply (no compression)" "$(best "${a[@]}")" "pg_restore -j $jobs (-Z0 dump)" "$(best "${rs[@]}")" "<= 0.6"
q -c "DROP DATABASE restore_target"
q -c "DROP SCHEMA bench_ds CASCADE; DROP TABLE pgbench_accounts, pgbench_branches, pgbench_tellers, pgbench_history"
q -c "ALTER SCHEMA bench_src RENAME TO bench_ds"
rm -rf "$out"/*

echo
echo "== worker RSS while generating (flat as data grows?)"
worker_rss_during_generate() {
  local gb=$1 target=$2 pid id max=0 rss status
  q -c "DROP TABLE IF EXISTS bench_ds.rss_data; CREATE UNLOGGED TABLE bench_ds.rss_data (id bigint, payload text)"
  q -c "INSERT INTO bench_ds.rss_data SELECT g, repeat(md5(g::text), 7) FROM generate_series(1, ($gb::numeric * 1024 * 1024 * 1024 / 260)::bigint) g"
  pid=$(q -c "SELECT worker_pid FROM steep_repl.worker_status()")
  id=$(q -c "SELECT snapshot_id FROM steep_repl.start_snapshot('$target', 'zstd', $jobs, '{\"include_tables\": [\"bench_ds.rss_data\"]}')")
  while :; do
    rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)
    [ "${rss:-0}" -gt "$max" ] && max=$rss
    status=$(q -c "SELECT status FROM steep_repl.snapshots WHERE snapshot_id = '$id'")
    case "$status" in complete|failed|cancelled) break ;; esac
    sleep 0.2
  done
  printf 'generate %-6s GB (zstd): %-9s worker pid %s, max RSS %d MB\n' "$gb" "$status" "$pid" $((max / 1024))
}
worker_rss_during_generate "$rss_small_gb" "$out/rss-small"
worker_rss_during_generate "$rss_large_gb" "$out/rss-large"
