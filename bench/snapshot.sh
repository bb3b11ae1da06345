#!/usr/bin/env bash
# Snapshot benchmarks (docs/snapshots.md; targets in bench/README.md), on one local node with
# one dataset: pgbench at BENCH_SCALE plus schema bench_ds with one dominant table and
# BENCH_SMALL_TABLES small ones. BENCH_RUNS rounds (default 5), each running every method once,
# in an order that rotates from round to round, with BENCH_JOBS connections on both sides;
# reported as median [min-max]. Each section first runs BENCH_WARMUP (default 1) untimed
# rounds, printed apart: a fresh worker compiles (JIT) the code of each kind of run during its
# first ones. Measures only, asserts nothing.
#
#   generate (none)   vs  pg_dump -Fd -j N -Z0
#   generate (none)   vs  raw COPY ... TO STDOUT (FORMAT binary) > /dev/null over N psql connections
#   generate (zstd)   vs  pg_dump -Fd -j N -Z1 (time and size)
#   apply             vs  pg_restore -j N of the -Z0 dump into an empty database (same server)
#   generate + apply  vs  pgcopydb clone --table-jobs N --index-jobs N --split-tables-larger-than
#                         (into empty databases of the same server)
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
runs=${BENCH_RUNS:-5}
warmup=${BENCH_WARMUP:-1}   # untimed rounds before each section's own (the worker's JIT, caches)
split_mb=${BENCH_SPLIT_MB:-256}
rss_small_gb=${BENCH_RSS_SMALL_GB:-0.5}
rss_large_gb=${BENCH_RSS_LARGE_GB:-5}
with_rss=${BENCH_RSS:-1}   # 0 leaves out the worker-RSS runs (they build a 5 GB table)

if [ -e "$dir" ]; then echo "error: $dir exists; remove it or set BENCH_DIR" >&2; exit 1; fi
if ! command -v pgcopydb >/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: pgcopydb is not installed" >&2
    echo "hint: apt-get install pgcopydb (as root), or run this as root" >&2
    exit 1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends pgcopydb >/dev/null
fi
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
target_conn() { echo "$conn" | sed "s/dbname=postgres/dbname=$1/"; }
qdb() { local db=$1; shift; PGOPTIONS="-c client_min_messages=warning" psql "$(target_conn "$db")" -XAtq -v ON_ERROR_STOP=1 "$@"; }
# Each target is dropped right after its run: autovacuum would otherwise vacuum and analyze
# the gigabyte just loaded while the next method runs.
drop_database() { q -c "DROP DATABASE $1"; }
# empty_database <name> [extension]: drops and creates it; with the extension, waits until the
# worker serves it (it looks for new databases every second: a job queued before would wait
# for that inside the timing)
empty_database() {
  q -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"
  if [ -n "${2:-}" ]; then
    qdb "$1" -c "CREATE EXTENSION steep_repl"
    until [ "$(qdb "$1" -c "SELECT state FROM steep_repl.served_databases() WHERE database = current_database()")" = serving ]; do
      sleep 0.1
    done
  fi
}
# rows_of <database>: checks, after a run and outside its timing, that the copy's dominant table
# has the source's rows (a failed run would otherwise be timed like any other)
rows_of() {
  local n
  n=$(qdb "$1" -c "SELECT count(*) FROM bench_ds.dominant")
  [ "$n" = "$(q -c "SELECT count(*) FROM bench_ds.dominant")" ] || { echo "error: $1 has $n rows in bench_ds.dominant" >&2; exit 1; }
}
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
# apply <dir> <database>: into that database of the node, which has the extension; applied
# runs it without the timing.
applied() {
  local id status
  id=$(qdb "$2" -c "SELECT snapshot_id FROM steep_repl.start_apply('$1', $jobs)")
  status=$(qdb "$2" -c "SELECT status || coalesce(': ' || error_message, '') FROM steep_repl.wait_snapshot('$id')")
  [ "$status" = complete ] || { echo "apply $id: $status" >&2; return 1; }
}
apply() {
  local start
  sync
  start=$(now)
  applied "$1" "$2"
  seconds "$start" "$(now)"
}
timed() { local start; sync; start=$(now); "$@" >/dev/null; seconds "$start" "$(now)"; }
# median [--ratio] <samples...>: seconds to two decimals, ratios (--ratio) to three; spread: "[min-max]"
median() {
  local decimals=2
  if [ "$1" = --ratio ]; then decimals=3; shift; fi
  printf '%s\n' "$@" | sort -n | awk -v d="$decimals" '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%." d "f", m }'
}
spread() { printf '%s\n' "$@" | sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "[%s-%s]", lo, hi }'; }
# Three decimals: a ratio of 0.852 against a target of 0.85 must not print as 0.85.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
# verdict <ratio> <target>: ": met" or ": missed" for a target "<= x", nothing for "none"
verdict() { case $2 in "<= "*) awk -v r="$1" -v t="${2#<= }" 'BEGIN { print (r <= t ? ": met" : ": missed") }' ;; esac; }
# report <what> <target> <ours...> -- <theirs...> ; <what> names both sides: "ours vs theirs".
# Both lists are in round order. Besides the ratio of the medians, the median [min-max] of the
# ratios within each round: the two ran a few seconds apart there, so a stretch of minutes in
# which the shared machine is slower or faster than usual weighs on both sides of it alike.
report() {
  local what=$1 target=$2 ours=() theirs=() paired=() i; shift 2
  while [ "$1" != "--" ]; do ours+=("$1"); shift; done; shift
  theirs=("$@")
  for i in "${!ours[@]}"; do paired+=("$(ratio "${ours[$i]}" "${theirs[$i]}")"); done
  local r; r=$(ratio "$(median "${ours[@]}")" "$(median "${theirs[@]}")")
  printf '%-64s %7ss %-15s vs %7ss %-15s ratio %s, per round %s %s (target %s%s)\n' "$what" "$(median "${ours[@]}")" \
    "$(spread "${ours[@]}")" "$(median "${theirs[@]}")" "$(spread "${theirs[@]}")" \
    "$r" "$(median --ratio "${paired[@]}")" "$(spread "${paired[@]}")" "$target" "$(verdict "$r" "$target")"
}
# keep <round> <array> <seconds>: appends the time to the array; in a warm-up round (round < 1)
# to the section's warm-up list instead, which is printed apart and counts in no figure
keep() { if [ "$1" -ge 1 ]; then local -n into=$2; into+=("$3"); else warm+=("$2=$3"); fi; }
# rounds: the numbers of a section's rounds, the warm-up ones first (0, -1, ...)
rounds() { seq $((1 - warmup)) "$runs"; }
warmed() { [ ${#warm[@]} -eq 0 ] || echo "warm-up, not in the figures: ${warm[*]}"; warm=(); }
warm=()
# rotate <round> <items...>: the items, starting at position round mod count
rotate() { local r=$1; shift; local n=$#; local a=("$@") i; for i in $(seq 0 $((n - 1))); do echo "${a[$(((i + r) % n))]}"; done; }

# Raw COPY baseline: the parts generate copies (tables over the 256 MB split threshold cut into
# CTID ranges of total / (8 x N), between 16 and 128 MB), spread over $jobs psql connections,
# largest part first, in COPY's binary format as an uncompressed generate writes them.
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
      SELECT tab, bytes, format('COPY (SELECT * FROM %s) TO STDOUT (FORMAT binary)', tab) AS sql FROM t WHERE bytes <= 256 * 1024 * 1024
      UNION ALL
      SELECT tab, chunk.pages * 8192,
             format('COPY (SELECT * FROM ONLY %s WHERE ctid >= ''(%s,0)''%s) TO STDOUT (FORMAT binary)', tab, s,
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
echo "== generate vs pg_dump and raw COPY (N=$jobs, $runs rounds, median [min-max])"
g_none=(); g_zstd=(); d_none=(); d_z1=(); raw=()
for r in $(rounds); do
  for method in $(rotate "$r" g_none g_zstd d_none d_z1 raw); do
    case $method in
      g_none) rm -rf "$out/none"; keep "$r" g_none "$(generate none "$out/none")" ;;
      g_zstd) rm -rf "$out/zstd"; keep "$r" g_zstd "$(generate zstd "$out/zstd")" ;;
      d_none) rm -rf "$out/dump-none"; keep "$r" d_none "$(timed as_server pg_dump -d "$conn" -Fd -j "$jobs" -Z0 -f "$out/dump-none")" ;;
      d_z1) rm -rf "$out/dump-z1"; keep "$r" d_z1 "$(timed as_server pg_dump -d "$conn" -Fd -j "$jobs" -Z1 -f "$out/dump-z1")" ;;
      raw) keep "$r" raw "$(timed raw_copy)" ;;
    esac
  done
done
warmed
report "generate, no compression vs pg_dump -Fd -j $jobs -Z0" "<= 0.8" "${g_none[@]}" -- "${d_none[@]}"
report "generate, no compression vs raw COPY to /dev/null, $jobs conns" "<= 1.15" "${g_none[@]}" -- "${raw[@]}"
report "generate, zstd vs pg_dump -Fd -j $jobs -Z1" "<= 0.7" "${g_zstd[@]}" -- "${d_z1[@]}"
size() { du -sb "$1" | cut -f1; }
size_ratio=$(ratio "$(size "$out/zstd")" "$(size "$out/dump-z1")") size_target="<= 0.9"
printf '%-64s %s bytes vs %s bytes, ratio %s (target %s%s)\n' "size, zstd snapshot vs -Z1 dump" \
  "$(size "$out/zstd")" "$(size "$out/dump-z1")" "$size_ratio" "$size_target" "$(verdict "$size_ratio" "$size_target")"
du -sh "$out/none" "$out/zstd" "$out/dump-none" "$out/dump-z1" | sed 's/^/size /'

echo
echo "== apply vs pg_restore into an empty database (N=$jobs, $runs rounds, median [min-max])"
# Both load into a new database of the same server (a second cluster would double the memory):
# apply into apply_target, which has the extension so that the worker serves it, pg_restore
# into restore_target, which has it too, as the same start line: the dump's entries for the
# extension and its schema are left out of the restore (its configuration tables' rows are
# restored), so neither side is timed creating it. The floor runs the SQL apply runs, from
# psql sessions without worker, verify or ledger (bench/apply_floor.py), into floor_target:
# what apply costs beyond it is its own.
# The floor without ANALYZE (floor_na) shows what ANALYZE, which apply runs and pg_restore does
# not, costs on this dataset.
# floor_scripts <snapshot> [without-analyze]
floor_scripts() { python3 "$here/apply_floor.py" "$1" "$jobs" "$dir/floor" "${@:2}"; }
# floor_run <database>: the scripts floor_scripts wrote, untimed
floor_run() {
  local pids=() i
  qdb "$1" --single-transaction -f "$dir/floor.pre.sql" >/dev/null
  for i in $(seq 0 $((jobs - 1))); do
    qdb "$1" -f "$dir/floor.$i.sql" >/dev/null &
    pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i" || { echo "apply floor: a session failed" >&2; return 1; }; done
}
# apply_floor <snapshot> <database> [without-analyze]
apply_floor() {
  local start
  floor_scripts "$1" "${@:3}"
  sync
  start=$(now)
  floor_run "$2"
  seconds "$start" "$(now)"
}
restore_list=$dir/restore.list
pg_restore -l "$out/dump-none" | grep -vE ' (EXTENSION|SCHEMA) - steep_repl ' > "$restore_list"
chmod 644 "$restore_list"
a=(); rs=(); fl=(); fn=()
for r in $(rounds); do
  for method in $(rotate "$r" apply restore floor floor_na); do
    case $method in
      apply)
        empty_database apply_target steep_repl
        keep "$r" a "$(apply "$out/none" apply_target)"
        rows_of apply_target; drop_database apply_target ;;
      restore)
        empty_database restore_target steep_repl
        keep "$r" rs "$(timed as_server pg_restore -d "$(target_conn restore_target)" -j "$jobs" -L "$restore_list" "$out/dump-none")"
        rows_of restore_target; drop_database restore_target ;;
      floor)
        empty_database floor_target
        keep "$r" fl "$(apply_floor "$out/none" floor_target)"
        rows_of floor_target; drop_database floor_target ;;
      floor_na)
        empty_database floor_target
        keep "$r" fn "$(apply_floor "$out/none" floor_target without-analyze)"
        rows_of floor_target; drop_database floor_target ;;
    esac
  done
done
warmed
report "apply (no compression) vs pg_restore -j $jobs (-Z0 dump)" "<= 0.85" "${a[@]}" -- "${rs[@]}"
report "apply vs its own SQL from $jobs psql sessions (the floor)" "none" "${a[@]}" -- "${fl[@]}"
report "that floor vs pg_restore -j $jobs" "none" "${fl[@]}" -- "${rs[@]}"
report "the floor without ANALYZE vs pg_restore -j $jobs" "none" "${fn[@]}" -- "${rs[@]}"

echo
echo "== generate + apply vs pgcopydb clone into an empty database (N=$jobs, $runs rounds, median [min-max])"
# Both copy the postgres database into a new database of the same server: steep-repl generates
# (no compression) and applies in the new database (which has the extension, so its worker
# serves it); pgcopydb clones with N table jobs, N index jobs and tables over $split_mb MB split.
uri() { local c; c=$(target_conn "$1"); python3 -c 'import sys, urllib.parse as u
kv = dict(p.split("=", 1) for p in sys.argv[1].split())
print("postgresql://%s@%s:%s/%s?host=%s" % (kv.get("user", "postgres"), "localhost", kv["port"], kv["dbname"], u.quote(kv["host"], safe="")))' "$c"; }
ga=(); cl=(); gf=()
steep_clone() {
  local t
  empty_database steep_target steep_repl
  rm -rf "$out/clone"
  t=$(now)
  generate none "$out/clone" >/dev/null
  applied "$out/clone" steep_target
  seconds "$t" "$(now)"
}
# generate, then the apply's floor (its scripts written between the two, untimed)
floor_clone() {
  local g t
  empty_database floor_target
  rm -rf "$out/clone"
  g=$(generate none "$out/clone")
  floor_scripts "$out/clone"
  t=$(now)
  floor_run floor_target
  awk -v g="$g" -v a="$t" -v b="$(now)" 'BEGIN { printf "%.2f", g + b - a }'
}
pgcopydb_clone() {
  empty_database copydb_target
  rm -rf "$out/pgcopydb"
  timed as_server env PATH=/usr/bin:/bin pgcopydb clone --source "$(uri postgres)" --target "$(uri copydb_target)" --dir "$out/pgcopydb" \
    --table-jobs "$jobs" --index-jobs "$jobs" --split-tables-larger-than "${split_mb}MB" --skip-extensions --no-owner \
    2>>"$dir/pgcopydb.log"
}
for r in $(rounds); do
  for method in $(rotate "$r" steep pgcopydb floor); do
    case $method in
      steep) keep "$r" ga "$(steep_clone)"; rows_of steep_target; drop_database steep_target ;;
      pgcopydb) keep "$r" cl "$(pgcopydb_clone)"; rows_of copydb_target; drop_database copydb_target ;;
      floor) keep "$r" gf "$(floor_clone)"; rows_of floor_target; drop_database floor_target ;;
    esac
  done
done
warmed
report "generate + apply vs pgcopydb clone (split > ${split_mb} MB)" "<= 0.6" "${ga[@]}" -- "${cl[@]}"
report "generate + apply vs generate + the apply's floor" "none" "${ga[@]}" -- "${gf[@]}"
report "generate + the apply's floor vs pgcopydb clone" "none" "${gf[@]}" -- "${cl[@]}"
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
if [ "$with_rss" = 1 ]; then
  worker_rss_during_generate "$rss_small_gb" "$out/rss-small"
  worker_rss_during_generate "$rss_large_gb" "$out/rss-large"
fi
