#!/usr/bin/env bash
# Runs the steep_repl pg_regress suites, each on a throwaway cluster:
#
#   preload     shared_preload_libraries = 'steep_repl', steep_repl.max_job_slots = 4;
#               tests run in "postgres", which steep_repl.databases ('*') covers, where
#               jobs can be submitted.  steep_repl.java_home names a directory
#               without Java, so the supervisor never starts a Java worker: it
#               backs off, and the tests drive the queue themselves.
#   no_preload  a plain server; tests run in contrib_regression.
#
# Needs the extension installed (make install).  As root, the clusters run as
# the postgres OS user.  Exits non-zero and prints regression.diffs when a
# suite fails; the clusters are stopped and removed in every case, the
# results are kept in test/results/.
set -euo pipefail

test_dir=$(cd "$(dirname "$0")" && pwd)
PG_CONFIG=${PG_CONFIG:-pg_config}
bindir=$("$PG_CONFIG" --bindir)
pg_regress=$("$PG_CONFIG" --pkglibdir)/pgxs/src/test/regress/pg_regress

work=$(mktemp -d "${TMPDIR:-/tmp}/steep_repl_regress.XXXXXX")
chmod 755 "$work"
running_clusters=()

as_cluster_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

cleanup() {
    local data
    for data in "${running_clusters[@]}"; do
        as_cluster_owner "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

# A port nothing listens on; the socket directory is private anyway.
free_port() {
    local port
    for port in $(shuf -i 20000-60000 -n 50); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
    echo "no free port found" >&2
    return 1
}

# start_cluster <name> <extra postgresql.conf lines>: sets cluster_port.
# Local connections are trusted, except that regress_schema_mapped must give
# its password (a peer that asks for one, as dblink requires for roles that
# are not superusers).  The server's libpq finds the service regress_self,
# this cluster itself, in the service file the postmaster is started with.
start_cluster() {
    local dir="$work/$1" extra_conf=$2 port
    mkdir -p "$dir/sock"
    if [ "$(id -u)" -eq 0 ]; then
        chown -R postgres: "$dir"
    fi
    as_cluster_owner "$bindir/initdb" -D "$dir/data" -U postgres \
        --auth-local=trust --auth-host=reject -E UTF8 --locale=C.UTF-8 \
        >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; return 1; }
    port=$(free_port)
    cat >>"$dir/data/postgresql.conf" <<EOF
port = $port
listen_addresses = ''
unix_socket_directories = '$dir/sock'
fsync = off
log_line_prefix = '%m [%p] %b '
$extra_conf
EOF
    as_cluster_owner sed -i '1i local all regress_schema_mapped scram-sha-256' "$dir/data/pg_hba.conf"
    printf '[regress_self]\nhost=%s\nport=%s\n' "$dir/sock" "$port" >"$dir/pg_service.conf"
    chmod 644 "$dir/pg_service.conf"
    running_clusters+=("$dir/data")
    as_cluster_owner env PGSERVICEFILE="$dir/pg_service.conf" \
        "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start >/dev/null \
        || { cat "$dir/server.log" >&2; return 1; }
    cluster_port=$port
}

# run_suite <name> <port> <pg_regress options...>
# Results stay in test/results/<name>/ for inspection.
run_suite() {
    local name=$1 port=$2 dir="$work/$1" out="$test_dir/results/$1"
    shift 2
    echo "== steep_repl regression suite: $name"
    rm -rf "$out"
    mkdir -p "$out"
    if "$pg_regress" --inputdir="$test_dir" --outputdir="$out" --bindir="$bindir" \
        --host="$dir/sock" --port="$port" --user=postgres \
        --schedule="$test_dir/${name}_schedule" "$@"; then
        return 0
    fi
    echo "== $out/regression.diffs:"
    cat "$out/regression.diffs" 2>/dev/null || true
    echo "== last lines of the server log:"
    tail -n 40 "$dir/server.log" 2>/dev/null || true
    return 1
}

status=0

start_cluster preload "shared_preload_libraries = 'steep_repl'
steep_repl.max_job_slots = 4
steep_repl.java_home = '$work/no-java-here'"
preload_port=$cluster_port
start_cluster no_preload ""
no_preload_port=$cluster_port

run_suite preload "$preload_port" --dbname=postgres --use-existing || status=1
run_suite no_preload "$no_preload_port" --dbname=contrib_regression || status=1

exit $status
