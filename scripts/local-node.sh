#!/usr/bin/env bash
# Throwaway local PostgreSQL nodes with steep_repl preloaded, for the demo and benchmarks.
#
#   local-node.sh create DIR PORT   initdb + configuration (steep_repl preloaded)
#   local-node.sh start DIR         start and wait until it accepts connections
#   local-node.sh stop DIR          fast shutdown
#   local-node.sh conninfo DIR [DB] the libpq connection string for the node's superuser, to
#                                   database DB (default postgres)
#
# The server runs as the postgres OS user when this runs as root (PostgreSQL refuses root),
# listens on 127.0.0.1 and on a socket in DIR/sock; the caller's OS user reaches the
# postgres superuser by peer authentication through an ident map, as the worker does.
set -euo pipefail

bindir=$(pg_config --bindir)
as_server() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cmd=${1:?usage: local-node.sh create|start|stop|conninfo DIR [PORT]}
dir=${2:?usage: local-node.sh $cmd DIR}

case "$cmd" in
  create)
    port=${3:?usage: local-node.sh create DIR PORT}
    if [ -e "$dir/data" ]; then echo "error: $dir/data already exists" >&2; exit 1; fi
    mkdir -p "$dir/sock"
    [ "$(id -u)" -eq 0 ] && chown -R postgres: "$dir"
    as_server "$bindir/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C.UTF-8 -A trust >/dev/null
    as_server tee -a "$dir/data/postgresql.conf" >/dev/null <<CONF
port = $port
unix_socket_directories = '$dir/sock'
listen_addresses = '127.0.0.1'
shared_preload_libraries = 'steep_repl'
log_line_prefix = '%m [%p] %b '
wal_level = logical
CONF
    me=$(id -un)
    printf 'local replication postgres peer map=local\nlocal all postgres peer map=local\nlocal all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n' \
      | as_server tee "$dir/data/pg_hba.conf" >/dev/null
    printf 'local postgres postgres\nlocal %s postgres\n' "$me" | as_server tee -a "$dir/data/pg_ident.conf" >/dev/null
    ;;
  start) as_server "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null ;;
  stop) as_server "$bindir/pg_ctl" -D "$dir/data" -w -t 60 -m fast stop >/dev/null ;;
  conninfo)
    port=$(sed -n 's/^port = //p' "$dir/data/postgresql.conf" | tail -n 1)
    echo "host=$dir/sock port=$port dbname=${3:-postgres} user=postgres"
    ;;
  *) echo "error: unknown command $cmd" >&2; exit 2 ;;
esac
