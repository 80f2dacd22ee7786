#!/usr/bin/env bash
# Serve Cloudplane locally: Azurite with its data kept in .azurite/ (a restart loses nothing)
# and the Functions app on http://127.0.0.1:${PORT}/api/v1/, in the foreground until Ctrl-C,
# which stops everything this script started.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${CLOUDPLANE_PORT:-7071}"
PY=.venv/bin/python

"$PY" scripts/local_settings.py ensure
ADMIN_KEY="${CLOUDPLANE_ADMIN_KEY:-$("$PY" scripts/local_settings.py get CLOUDPLANE_ADMIN_KEY)}"

pids=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "Stopped."
}
trap cleanup EXIT INT TERM

mkdir -p .azurite/data
if "$PY" -c 'import socket,sys; s=socket.socket(); sys.exit(0 if s.connect_ex(("127.0.0.1",10002))==0 else 1)'; then
  echo "Azurite is already listening on 127.0.0.1:10000-10002; using it."
else
  node_modules/.bin/azurite --silent --disableTelemetry --skipApiVersionCheck \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
    --location .azurite/data --debug .azurite/debug.log > .azurite/azurite.log 2>&1 &
  pids+=($!)
  "$PY" scripts/wait_port.py 127.0.0.1 10000 10001 10002
fi

cat <<TXT

  Cloudplane is starting.
    API:     http://127.0.0.1:${PORT}/api/v1/
    Docs:    http://127.0.0.1:${PORT}/api/docs
    Console: http://127.0.0.1:${PORT}/api/console/  (sign in with a tenant's API key)
    Health:  http://127.0.0.1:${PORT}/api/v1/health

  Your admin key is CLOUDPLANE_ADMIN_KEY in local.settings.json. Create a tenant and its first API key:
    curl -s -X POST http://127.0.0.1:${PORT}/api/v1/tenants \\
      -H "Authorization: Bearer ${ADMIN_KEY}" -H "Content-Type: application/json" \\
      -d '{"name": "Acme", "slug": "acme"}'

TXT

if command -v func >/dev/null 2>&1; then
  func start --port "$PORT" &
else
  "$PY" -m devhost --app function_app:app --host 127.0.0.1 --port "$PORT" &
fi
pids+=($!)
wait "${pids[-1]}"
