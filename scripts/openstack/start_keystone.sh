#!/usr/bin/env bash
# Start Keystone (Debian's package) on 127.0.0.1:PORT with its state in DIR, and wait until it answers.
#
#   scripts/openstack/start_keystone.sh DIR PORT
#
# The admin password comes from KEYSTONE_ADMIN_PASSWORD (never an argument, so `ps` does not show
# it); KEYSTONE_TOKEN_EXPIRATION sets the token lifetime in seconds (default 3600). SQLite in WAL
# mode and one uwsgi process with no threads: SQLite locks otherwise. uwsgi logs every request to
# DIR/log/uwsgi.log (what the benches count token issues in); DIR/uwsgi.pid is what stop.sh stops.
# A DIR that already holds a Keystone (keystone.db) is started again as it is, on the same PORT:
# what tests that stop Keystone mid-request use to bring it back.
set -euo pipefail
D=${1:?usage: start_keystone.sh DIR PORT}
PORT=${2:?usage: start_keystone.sh DIR PORT}
: "${KEYSTONE_ADMIN_PASSWORD:?set KEYSTONE_ADMIN_PASSWORD}"
EXPIRATION=${KEYSTONE_TOKEN_EXPIRATION:-3600}
mkdir -p "$D"
D=$(cd "$D" && pwd)
if [ ! -f "$D/keystone.db" ]; then
rm -rf "$D/fernet-keys" "$D/credential-keys" "$D"/keystone.db*
mkdir -p "$D/fernet-keys" "$D/credential-keys" "$D/log"
cat > "$D/keystone.conf" <<EOC
[DEFAULT]
log_dir = $D/log
log_file = keystone.log
[database]
connection = sqlite:///$D/keystone.db
[token]
provider = fernet
expiration = $EXPIRATION
allow_expired_window = 0
[fernet_tokens]
key_repository = $D/fernet-keys
[credential]
key_repository = $D/credential-keys
[oslo_policy]
enforce_new_defaults = false
EOC
KM=(keystone-manage --config-file "$D/keystone.conf")
"${KM[@]}" db_sync >>"$D/log/setup.log" 2>&1
python3 -c "import sqlite3,sys; sqlite3.connect(sys.argv[1]).execute('PRAGMA journal_mode=WAL')" "$D/keystone.db"
"${KM[@]}" fernet_setup --keystone-user "$(id -un)" --keystone-group "$(id -gn)" >>"$D/log/setup.log" 2>&1
"${KM[@]}" credential_setup --keystone-user "$(id -un)" --keystone-group "$(id -gn)" >>"$D/log/setup.log" 2>&1
URL="http://127.0.0.1:$PORT/v3/"
"${KM[@]}" bootstrap --bootstrap-password "$KEYSTONE_ADMIN_PASSWORD" --bootstrap-region-id RegionOne \
  --bootstrap-admin-url "$URL" --bootstrap-public-url "$URL" --bootstrap-internal-url "$URL" >>"$D/log/setup.log" 2>&1
fi
uwsgi --plugins python3 --http-socket "127.0.0.1:$PORT" --wsgi-file /usr/bin/keystone-wsgi-public \
  --env "OS_KEYSTONE_CONFIG_FILES=$D/keystone.conf" --master --processes 1 --lazy-apps \
  --die-on-term --buffer-size 65535 --add-header 'Connection: close' \
  --pidfile "$D/uwsgi.pid" --daemonize2 "$D/log/uwsgi.log"
for _ in $(seq 1200); do
  curl -sf "http://127.0.0.1:$PORT/v3" >/dev/null && exit 0
  sleep 0.1
done
echo "keystone did not answer on port $PORT; see $D/log" >&2
exit 1
