#!/usr/bin/env bash
# Runs the benchmarks against the installed extension and jar (make bench installs first).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== foundation: job pickup, progress visibility, worker start and memory"
(cd java && mvn -B -q -pl ../bench -am install -DskipTests -DskipITs)
(cd bench && mvn -B -q exec:java)

echo
echo "== served databases: job pickup and worker RSS with 1 and with 5 databases"
(cd bench && mvn -B -q exec:java -Dexec.mainClass=io.steep.repl.bench.ServedDatabasesBench)

echo
echo "== steep-repl --help wall time (10 runs)"
times=()
for _ in $(seq 10); do
  start=$(date +%s%N); steep-repl --help >/dev/null; end=$(date +%s%N)
  times+=($(( (end - start) / 1000000 )))
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "steep-repl --help                        n=%d p50=%d max=%d ms\n", NR, a[int((NR+1)/2)], a[NR]}'

echo
echo "== daemon: start time and RSS of steep-repl daemon run, progress stream latency"
(cd bench && mvn -B -q exec:java -Dexec.mainClass=io.steep.repl.bench.DaemonBench)

echo
echo "== snapshots: generate and apply vs pg_dump, pg_restore and raw COPY; worker RSS"
bench/snapshot.sh

echo
echo "== overlap analysis vs pg_comparator, the naive method and the floor; merge"
bench/overlap.sh
