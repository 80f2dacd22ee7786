#!/usr/bin/env bash
# Stop what start_keystone.sh or start_nova.sh started in DIR (its uwsgi master, by its pid file).
set -uo pipefail
D=${1:?usage: stop.sh DIR}
[ -f "$D/uwsgi.pid" ] || exit 0
PID=$(cat "$D/uwsgi.pid")
kill -TERM "$PID" 2>/dev/null || exit 0
for _ in $(seq 100); do
  kill -0 "$PID" 2>/dev/null || { rm -f "$D/uwsgi.pid"; exit 0; }
  sleep 0.1
done
kill -KILL "$PID" 2>/dev/null
rm -f "$D/uwsgi.pid"
