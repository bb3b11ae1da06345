#!/usr/bin/env bash
# The steep-repl demo: two throwaway local nodes with the extension, registered with each
# other, then node status, health and a job run by the background worker.
# DEMO_DIR (default /tmp/steep-repl-demo) holds them; DEMO_KEEP=1 leaves them running.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
node=$here/local-node.sh
demo=${DEMO_DIR:-/tmp/steep-repl-demo}
port_a=${DEMO_PORT_A:-55431}
port_b=${DEMO_PORT_B:-55432}
steep=${STEEP_REPL:-steep-repl}

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
"$node" start "$demo/node-a"
"$node" start "$demo/node-b"

# Named connections: the CLI takes '-c node-a' from this file (pg_service.conf format).
export STEEP_REPL_CONNECTIONS=$demo/connections.conf
{
  printf '[node-a]\n%s\n' "$("$node" conninfo "$demo/node-a" | tr ' ' '\n')"
  printf '[node-b]\n%s\n' "$("$node" conninfo "$demo/node-b" | tr ' ' '\n')"
} > "$STEEP_REPL_CONNECTIONS"
run cat "$STEEP_REPL_CONNECTIONS"

for n in node-a node-b; do
  run psql "$("$node" conninfo "$demo/$n")" -qc "CREATE EXTENSION steep_repl"
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

say "health of node-a: extension, shared memory, supervisor, Java worker, queue"
run "$steep" -c node-a health

say "a job run by node-a's background worker"
run "$steep" -c node-a jobs submit ping --wait
run "$steep" -c node-a jobs list
