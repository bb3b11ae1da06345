#!/usr/bin/env bash
# Overlap analysis and merge benchmarks (docs/overlap.md; issue targets in bench/README.md), on
# two local nodes: "local" has steep_repl and dblink, "peer" only the tables. For each level of
# difference (BENCH_LEVELS, percent of BENCH_ROWS rows: a third conflicts, a third on the local
# node only, a third on the peer only), BENCH_RUNS rounds; each round runs every method once,
# in an order that rotates from round to round. Reports median [min-max]. Measures only.
#
#   analyze        steep_repl.analyze_overlap (wall time; rows and bytes fetched from its result)
#   pg_comparator  compare only (defaults: ck checksum, sum aggregate, folding factor 2^7;
#                  --max-ratio 2 so 10 % differences are still searched; reports rows, not bytes)
#   naive          every key and row hash shipped from the peer (dblink), joined with the local
#                  ones: the same key and hash expressions as analyze, bytes measured the same way
#   floor          SELECT count(*), sum(hashtextextended(t::text, 0)) on both nodes at once
#   merge          start_merge + wait_merge (prefer-local) of BENCH_MERGE_ROWS differing rows,
#                  beside pg_comparator --synchronize --do-it; skipped while start_merge is absent
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
node=$here/../scripts/local-node.sh
dir=${BENCH_DIR:-/tmp/steep-repl-bench-overlap}
port=${BENCH_PORT:-55461}
rows=${BENCH_ROWS:-1000000}
runs=${BENCH_RUNS:-5}
levels=${BENCH_LEVELS:-0 0.1 10}
merge_rows=${BENCH_MERGE_ROWS:-100000}
merge_runs=${BENCH_MERGE_RUNS:-3}
# BENCH_PARTS: which parts run, "overlap merge" by default (e.g. BENCH_PARTS=merge)
parts=" ${BENCH_PARTS:-overlap merge} "
overlap_part=no; merge_part=no
case "$parts" in *" overlap "*) overlap_part=yes ;; esac
case "$parts" in *" merge "*) merge_part=yes ;; esac
# analyze_overlap's options, e.g. '{"rows_per_bucket": 50}'
options=${BENCH_OVERLAP_OPTIONS:-'{}'}

# pg_comparator: the Debian package, and its pgcmp extension (the ck checksum) in the
# installation pg_config names, which may be a relocated copy of the system's.
if ! command -v pg_comparator >/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: pg_comparator is not installed" >&2
    echo "hint: apt-get install postgresql-comparator (as root), or run this as root" >&2
    exit 1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql-comparator >/dev/null
fi
ext_dir=$(pg_config --sharedir)/extension
if [ ! -f "$ext_dir/pgcmp.control" ]; then
  if [ ! -w "$ext_dir" ]; then
    echo "error: pg_comparator's pgcmp extension is not in $ext_dir" >&2
    echo "hint: run this as root, or copy pgcmp.so and pgcmp.control / pgcmp--*.sql there (dpkg -L postgresql-comparator)" >&2
    exit 1
  fi
  for f in $(dpkg -L postgresql-comparator | grep -E '/(pgcmp\.so|pgcmp\.control|pgcmp--.*\.sql)$'); do
    case "$f" in
      *.so) cp "$f" "$(pg_config --pkglibdir)/" ;;
      *) cp "$f" "$ext_dir/" ;;
    esac
  done
fi

if [ -e "$dir" ]; then echo "error: $dir exists; remove it or set BENCH_DIR" >&2; exit 1; fi
cleanup() {
  for n in local peer; do
    [ -f "$dir/$n/data/postmaster.pid" ] && "$node" stop "$dir/$n" || true
  done
  rm -rf "$dir"
}
trap cleanup EXIT

"$node" create "$dir/local" "$port"
"$node" create "$dir/peer" "$((port + 1))"
"$node" start "$dir/local"
"$node" start "$dir/peer"
local_conn=$("$node" conninfo "$dir/local")
peer_conn=$("$node" conninfo "$dir/peer")
# Warnings and errors only.
ql() { PGOPTIONS="-c client_min_messages=warning" psql "$local_conn" -XAtq -v ON_ERROR_STOP=1 "$@"; }
qp() { PGOPTIONS="-c client_min_messages=warning" psql "$peer_conn" -XAtq -v ON_ERROR_STOP=1 "$@"; }
now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
# median [min-max] of the arguments
spread() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END {
  m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
  printf "%.3g [%.3g-%.3g]", m, a[1], a[NR] }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END {
  printf "%.6g", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.3g", a / b }'; }

ql -c "CREATE EXTENSION dblink" -c "CREATE EXTENSION steep_repl" -c "CREATE EXTENSION pgcmp"
qp -c "CREATE EXTENSION pgcmp"

# make_table NAME STEP ON_PEER: BENCH_ROWS rows with typical columns (a NULL now and then), the
# same on both nodes; on the peer, with STEP > 0, every STEP-th row conflicts, the next is missing
# (local only) and rows/STEP rows past the end exist there only: 3 x rows/STEP differences.
make_table() {
  local name=$1 step=$2 on_peer=$3
  cat <<SQL
CREATE SCHEMA IF NOT EXISTS bench_overlap;
DROP TABLE IF EXISTS bench_overlap.$name;
CREATE TABLE bench_overlap.$name (
  id bigint PRIMARY KEY, account integer NOT NULL, label text, amount numeric(12,2),
  created_at timestamptz NOT NULL, active boolean);
INSERT INTO bench_overlap.$name
  SELECT g, (g % 50000)::int, CASE WHEN g % 101 <> 0 THEN 'customer ' || md5(g::text) END,
         (g % 100000) / 100.0, timestamptz '2024-01-01 00:00:00+00' + g * interval '17 seconds', g % 7 <> 0
  FROM generate_series(1, $rows) g;
SQL
  if [ "$on_peer" = peer ] && [ "$step" -gt 0 ]; then
    cat <<SQL
UPDATE bench_overlap.$name SET amount = amount + 1 WHERE id % $step = 1;
DELETE FROM bench_overlap.$name WHERE id % $step = 2;
INSERT INTO bench_overlap.$name
  SELECT g, (g % 50000)::int, 'customer ' || md5(g::text), 1.00, timestamptz '2024-06-01 00:00:00+00', true
  FROM generate_series($rows + 1, $rows + $rows / $step) g;
SQL
  fi
  echo "VACUUM (FREEZE, ANALYZE) bench_overlap.$name;"
}
# step_for PERCENT: the STEP that makes PERCENT % of the rows differ (0 for none)
step_for() { awk -v p="$1" 'BEGIN { printf "%d", (p == 0) ? 0 : 300 / p + 0.5 }'; }
table_for() { echo "d$(echo "$1" | tr . _)"; }

if [ "$overlap_part" = yes ]; then
  echo "== dataset: $rows rows a table, levels (% differing): $levels"
  for level in $levels; do
    t=$(table_for "$level"); step=$(step_for "$level")
    make_table "$t" "$step" local | ql &
    make_table "$t" "$step" peer | qp &
    wait
  done
  ql -c "CHECKPOINT"; qp -c "CHECKPOINT"
  ql -c "SELECT 'table size: ' || pg_size_pretty(pg_total_relation_size('bench_overlap.$(table_for 0)'))"
fi

# The methods; each prints "seconds rows bytes" (rows and bytes fetched from the peer, or -).
m_analyze() {
  local start out
  start=$(now)
  out=$(ql -F' ' -c "SELECT rows_fetched, bytes_fetched, conflicts, local_only, remote_only
                     FROM steep_repl.analyze_overlap('$peer_conn', ARRAY['bench_overlap.$1'], '$options')")
  echo "$(seconds "$start" "$(now)") $(echo "$out" | cut -d' ' -f1,2)"
  echo "$out" | cut -d' ' -f3- > "$dir/found.analyze.$1"
}
comparator_url() { echo "pgsql://postgres@/postgres/bench_overlap.$1?id"; }
comparator() {
  local t=$1; shift
  pg_comparator --source-1="DBI:Pg:host=$dir/local/sock;port=$port;dbname=postgres" \
    --source-2="DBI:Pg:host=$dir/peer/sock;port=$((port + 1));dbname=postgres" \
    --max-ratio=2.0 --no-report --stats=txt "$@" "$(comparator_url "$t")" "$(comparator_url "$t")"
}
m_comparator() {
  local start out
  start=$(now)
  out=$(comparator "$1")
  # rows fetched from both nodes (summaries and checksums); it counts no bytes
  echo "$(seconds "$start" "$(now)") $(echo "$out" | awk -F': *' '/fetched sums|fetched chks/ { n += $2 } END { print n }') -"
  echo "$out" | awk -F': *' '/diffs found/ { print $2 }' > "$dir/found.comparator.$1"
}
naive_sql() {
  ql -c "SELECT format('SELECT %s AS k, %s AS h FROM %s', s.key_text, s.row_hash, s.relation)
         FROM steep_repl._overlap_table_shape('bench_overlap.$1'::regclass) sh,
              steep_repl._overlap_row_sql(sh.table_schema, sh.table_name, sh.columns, sh.key_columns) s"
}
m_naive() {
  local start out sql
  sql=$(naive_sql "$1")
  start=$(now)
  out=$(ql -F' ' -v sql="$sql" -v peer="$peer_conn" <<'SQL'
WITH l AS (:sql),
     r AS (SELECT t.*, octet_length(t::text) AS w FROM dblink(:'peer', :'sql') AS t(k text, h bigint))
SELECT count(r.k), sum(r.w), count(*) FILTER (WHERE l.k IS NULL OR r.k IS NULL OR l.h <> r.h)
FROM l FULL JOIN r ON r.k = l.k
SQL
)
  echo "$(seconds "$start" "$(now)") $(echo "$out" | cut -d' ' -f1,2)"
  echo "$out" | cut -d' ' -f3 > "$dir/found.naive.$1"
}
m_floor() {
  local start sql="SELECT count(*), sum(hashtextextended(t::text, 0)) FROM bench_overlap.$1 t" a b
  start=$(now)
  ql -c "$sql" >/dev/null & a=$!
  qp -c "$sql" >/dev/null & b=$!
  wait "$a"; wait "$b"
  echo "$(seconds "$start" "$(now)") - -"
}

if [ "$overlap_part" = yes ]; then
  methods=(analyze comparator naive floor)
  declare -A secs fetched_rows fetched_bytes
  echo
  echo "== overlap analysis (options $options): $runs rounds, each method once a round, in rotating order"
  for r in $(seq "$runs"); do
    for level in $levels; do
      t=$(table_for "$level")
      for i in 0 1 2 3; do
        m=${methods[$(( (i + r) % 4 ))]}
        read -r s n b < <("m_$m" "$t")
        [ -n "${b:-}" ] || { echo "error: $m on $t failed" >&2; exit 1; }
        secs[$level.$m]+=" $s"; fetched_rows[$level.$m]=$n; fetched_bytes[$level.$m]=$b
      done
    done
    echo "round $r done"
  done

  echo
  echo "differences found (analyze: conflicts local_only remote_only; pg_comparator and naive: total):"
  for level in $levels; do
    t=$(table_for "$level")
    printf '  %s %%: analyze %s, pg_comparator %s, naive %s\n' "$level" \
      "$(cat "$dir/found.analyze.$t")" "$(cat "$dir/found.comparator.$t")" "$(cat "$dir/found.naive.$t")"
  done
  echo
  echo "seconds, median [min-max] of $runs; rows and bytes fetched from the peer:"
  echo
  echo "| differing | analyze | pg_comparator | naive | floor | analyze rows / bytes | pg_comparator rows (both nodes) | naive rows / bytes |"
  echo "|---|---|---|---|---|---|---|---|"
  for level in $levels; do
    # shellcheck disable=SC2086
    printf '| %s %% | %s | %s | %s | %s | %s / %s | %s | %s / %s |\n' "$level" \
      "$(spread ${secs[$level.analyze]})" "$(spread ${secs[$level.comparator]})" \
      "$(spread ${secs[$level.naive]})" "$(spread ${secs[$level.floor]})" \
      "${fetched_rows[$level.analyze]}" "${fetched_bytes[$level.analyze]}" "${fetched_rows[$level.comparator]}" \
      "${fetched_rows[$level.naive]}" "${fetched_bytes[$level.naive]}"
  done
  echo
  echo "| differing | analyze / pg_comparator | analyze / floor | analyze bytes / naive bytes |"
  echo "|---|---|---|---|"
  for level in $levels; do
    # shellcheck disable=SC2086
    a=$(median ${secs[$level.analyze]})
    # shellcheck disable=SC2086
    printf '| %s %% | %s | %s | %s |\n' "$level" \
      "$(ratio "$a" "$(median ${secs[$level.comparator]})")" "$(ratio "$a" "$(median ${secs[$level.floor]})")" \
      "$(awk -v a="${fetched_bytes[$level.analyze]}" -v b="${fetched_bytes[$level.naive]}" 'BEGIN { printf "%.2f %%", 100 * a / b }')"
  done
  echo "| target at 0.1 % | <= 0.75 | <= 1.5 | <= 2 % |"
fi

[ "$merge_part" = yes ] || exit 0
echo
echo "== merge: $merge_rows differing rows, prefer-local, vs pg_comparator --synchronize"
if [ "$(ql -c "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = 'steep_repl' AND p.proname IN ('start_merge', 'wait_merge')")" -lt 2 ]; then
  echo "merge: skipped (steep_repl.start_merge and wait_merge do not exist in this build)"
  exit 0
fi
step=$(( 3 * rows / merge_rows )); [ "$step" -ge 3 ] || step=3
differing=$(( 3 * (rows / step) ))
fresh_merge_tables() {
  make_table m "$step" local | ql &
  make_table m "$step" peer | qp &
  wait
}
merge_secs=(); sync_secs=()
for r in $(seq "$merge_runs"); do
  fresh_merge_tables
  start=$(now)
  id=$(ql -c "SELECT merge_id FROM steep_repl.start_merge('$peer_conn', ARRAY['bench_overlap.m'], 'prefer-local')")
  status=$(ql -c "SELECT status || coalesce(': ' || error_message, '') FROM steep_repl.wait_merge('$id')")
  merge_secs+=("$(seconds "$start" "$(now)")")
  [ "$status" = complete ] || { echo "merge $id: $status" >&2; exit 1; }
  left=$(ql -F' ' -c "SELECT conflicts, local_only, remote_only
                      FROM steep_repl.analyze_overlap('$peer_conn', ARRAY['bench_overlap.m'])")
  [ "$left" = "0 0 0" ] || echo "merge $id left differences (conflicts local_only remote_only): $left" >&2

  # pg_comparator makes the peer's table equal to the local one: conflicts and local-only rows
  # are written to the peer, but rows on the peer only are deleted there, not brought here.
  fresh_merge_tables
  start=$(now)
  comparator m --synchronize --do-it >/dev/null
  sync_secs+=("$(seconds "$start" "$(now)")")
done
m=$(median "${merge_secs[@]}"); s=$(median "${sync_secs[@]}")
printf '| %s differing rows | seconds, median [min-max] of %s | rows/s (median) |\n|---|---|---|\n' "$differing" "$merge_runs"
printf '| start_merge + wait_merge (prefer-local) | %s | %.0f |\n' "$(spread "${merge_secs[@]}")" "$(awk -v n="$differing" -v s="$m" 'BEGIN { print n / s }')"
printf '| pg_comparator -S -D | %s | %.0f |\n' "$(spread "${sync_secs[@]}")" "$(awk -v n="$differing" -v s="$s" 'BEGIN { print n / s }')"
echo "| target | | >= 50000 |"
