#!/usr/bin/env bash
# `npm test`: installs what is missing, checks lint, format and types, then runs every
# unit and integration spec against a real Kafka broker and PostgreSQL (started here if needed).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # npm install, not npm ci: see docs/decisions/0001 (the lock file pins the versions either way).
  echo "[test] installing dependencies (npm install) ..."
  npm install --no-audit --no-fund
fi

# The console has its own dependencies and build (apps/console); the hub serves its dist/.
if [ ! -f apps/console/node_modules/.package-lock.json ] || [ apps/console/package-lock.json -nt apps/console/node_modules/.package-lock.json ]; then
  echo "[test] installing the console's dependencies (npm install --prefix apps/console) ..."
  npm install --prefix apps/console --no-audit --no-fund
fi
echo "[test] console build (tsc and vite) ..."
npm run --prefix apps/console build
# The console's browser tests drive Debian's Chromium.
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "[test] installing Chromium for the console's browser tests (apt-get install -y chromium) ..."
    apt-get install -y chromium || { apt-get update && apt-get install -y chromium; }
  else
    echo "[test] /usr/bin/chromium is missing: run 'sudo apt-get install -y chromium' (the console's browser tests need it)." >&2
    exit 1
  fi
fi
# promtool (in Debian's prometheus package) checks every service's /metrics (test/strict-tools.e2e-spec.ts).
if ! command -v promtool >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    echo "[test] installing promtool for the metrics check (apt-get install -y prometheus) ..."
    install_prometheus() { apt-get install -y --no-install-recommends prometheus; }
    install_prometheus || { apt-get update && install_prometheus; }
    # Only promtool is wanted: where systemd runs, the package also starts a Prometheus server.
    if command -v systemctl >/dev/null; then systemctl disable --now prometheus 2>/dev/null || true; fi
  else
    echo "[test] promtool is missing: run 'sudo apt-get install -y prometheus' (the metrics check needs its promtool)." >&2
    exit 1
  fi
fi

echo "[test] lint (eslint) ..."
npx eslint .
echo "[test] format (prettier) ..."
npx prettier --check . --log-level warn
echo "[test] types (tsc) ..."
npx tsc -p tsconfig.json --noEmit
echo "[test] build (the chaos test runs the built services) ..."
npx tsc -p tsconfig.build.json

echo "[test] unit and integration specs (jest) ..."
npx jest --ci --runInBand "$@"
