#!/usr/bin/env bash
# Installs the Debian packages steep-repl needs to build, test and run, and only those
# that are missing: PostgreSQL 15 server and headers, a C toolchain, JDK 17 and Maven, and curl
# for the tests' PostgreSQL 18 peer (scripts/install-pg18-peer.sh, which `make test` runs).
set -euo pipefail

PG_MAJOR=${PG_MAJOR:-15}
packages=(
  "postgresql-$PG_MAJOR"
  "postgresql-server-dev-$PG_MAJOR"
  postgresql-contrib
  build-essential
  openjdk-17-jdk-headless
  maven
  curl
  ca-certificates
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "error: missing packages: ${missing[*]}" >&2
  echo "hint: run this as root or with sudo" >&2
  exit 1
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
