#!/usr/bin/env bash
# Writes the steep-repl launcher: a small shell script that runs the installed jar.
# usage: install-launcher.sh <launcher path> <jar path>
set -euo pipefail
target=$1
jar=$2
tmp=$(mktemp)
cat > "$tmp" <<LAUNCHER
#!/bin/sh
# steep-repl command line; the jar is the one the steep_repl extension runs as its worker.
if [ -n "\${JAVA_HOME:-}" ] && [ -x "\$JAVA_HOME/bin/java" ]; then java="\$JAVA_HOME/bin/java"; else java=java; fi
exec "\$java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto \${STEEP_REPL_JAVA_OPTS:-} \\
  -cp "$jar" io.steep.repl.cli.SteepRepl "\$@"
LAUNCHER
install -D -m 0755 "$tmp" "$target"
rm -f "$tmp"
