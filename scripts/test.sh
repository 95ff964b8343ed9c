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
