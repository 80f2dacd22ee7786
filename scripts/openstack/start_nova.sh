#!/usr/bin/env bash
# Start nova-api (Debian's package, API only) on 127.0.0.1:PORT with its state in DIR, registered
# in the Keystone at KEYSTONE_URL, and wait until it answers.
#
#   scripts/openstack/start_nova.sh DIR PORT KEYSTONE_URL
#
# KEYSTONE_ADMIN_PASSWORD (to register nova) and NOVA_SERVICE_PASSWORD (nova's own user) come from
# the environment. SQLite in WAL mode, a fake message bus and no compute host: key pairs, quotas
# and limits work; servers cannot be built. DIR/uwsgi.pid is what stop.sh stops.
set -euo pipefail
D=${1:?usage: start_nova.sh DIR PORT KEYSTONE_URL}
PORT=${2:?usage: start_nova.sh DIR PORT KEYSTONE_URL}
KEYSTONE=${3:?usage: start_nova.sh DIR PORT KEYSTONE_URL}
: "${KEYSTONE_ADMIN_PASSWORD:?set KEYSTONE_ADMIN_PASSWORD}"
: "${NOVA_SERVICE_PASSWORD:?set NOVA_SERVICE_PASSWORD}"
KEYSTONE=${KEYSTONE%/}
KEYSTONE=${KEYSTONE%/v3}
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$D"
D=$(cd "$D" && pwd)
rm -f "$D"/*.db*
mkdir -p "$D/log" "$D/lock" "$D/state"
cp /etc/nova/api-paste.ini "$D/"
cat > "$D/nova.conf" <<EOC
[DEFAULT]
transport_url = fake://
state_path = $D/state
log_dir = $D/log
log_file = nova.log
my_ip = 127.0.0.1
[api]
auth_strategy = keystone
[api_database]
connection = sqlite:///$D/nova_api.db
[database]
connection = sqlite:///$D/nova.db
[wsgi]
api_paste_config = $D/api-paste.ini
[oslo_concurrency]
lock_path = $D/lock
[keystone_authtoken]
www_authenticate_uri = $KEYSTONE
auth_url = $KEYSTONE
auth_type = password
project_name = service
project_domain_name = Default
username = nova
password = $NOVA_SERVICE_PASSWORD
user_domain_name = Default
[placement]
auth_type = password
auth_url = $KEYSTONE/v3
project_name = service
project_domain_name = Default
username = nova
password = $NOVA_SERVICE_PASSWORD
user_domain_name = Default
region_name = RegionOne
[oslo_policy]
enforce_new_defaults = false
EOC
chmod 600 "$D/nova.conf"
python3 "$HERE/register_nova.py" "$KEYSTONE" "http://127.0.0.1:$PORT/v2.1" >"$D/log/register.json"
NM=(nova-manage --config-file "$D/nova.conf")
"${NM[@]}" api_db sync >>"$D/log/setup.log" 2>&1
"${NM[@]}" cell_v2 map_cell0 --database_connection "sqlite:///$D/nova_cell0.db" >>"$D/log/setup.log" 2>&1
"${NM[@]}" db sync >>"$D/log/setup.log" 2>&1
"${NM[@]}" cell_v2 create_cell --name cell1 >>"$D/log/setup.log" 2>&1
for f in nova.db nova_api.db nova_cell0.db; do
  python3 -c "import sqlite3,sys; sqlite3.connect(sys.argv[1]).execute('PRAGMA journal_mode=WAL')" "$D/$f"
done
uwsgi --plugins python3 --http-socket "127.0.0.1:$PORT" --wsgi-file /usr/bin/nova-api-wsgi --env "OS_NOVA_CONFIG_DIR=$D" \
  --master --processes 1 --lazy-apps --die-on-term --buffer-size 65535 --add-header 'Connection: close' \
  --pidfile "$D/uwsgi.pid" --daemonize2 "$D/log/uwsgi.log"
for _ in $(seq 1200); do
  curl -sf "http://127.0.0.1:$PORT/" >/dev/null && exit 0
  sleep 0.1
done
echo "nova-api did not answer on port $PORT; see $D/log" >&2
exit 1
