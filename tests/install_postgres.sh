#!/bin/sh
# The storage tests start a throwaway PostgreSQL cluster (tests/postgres.py): install Debian's server
# package when initdb is nowhere to be found. Needs root (CI runs as root); does nothing when present.
set -eu
if command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "PostgreSQL's initdb is missing: run 'sudo apt-get install postgresql' (the tests need it)" >&2
    exit 1
fi
apt-get update -q
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql
