#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 (trust auth, user postgres).
# Starts the machine's own cluster if it is installed but stopped; otherwise says how to fix it.
set -euo pipefail
HOST=127.0.0.1 PORT=5432
say() { printf '[postgres] %s\n' "$*"; }
ready() { pg_isready -h "$HOST" -p "$PORT" -U postgres -q 2>/dev/null; }

if ready; then exit 0; fi
if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  say "not answering on $HOST:$PORT; starting the local cluster $version/main"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 60); do
    if ready; then say "ready"; exit 0; fi
    sleep 0.5
  done
fi
say "ERROR: no PostgreSQL server answers on $HOST:$PORT." >&2
say "Fix: install and start PostgreSQL (e.g. apt-get install postgresql), or point the" >&2
say "     services at a server with <SERVICE>_DATABASE_URL (TEST_POSTGRES_URL for tests)." >&2
exit 1
