#!/usr/bin/env bash
# Debian packages for the OpenStack tests: Keystone and nova-api run under uwsgi (SQLite, one
# process each). apt-get runs only when a command is missing, so a machine that has them
# (or a developer without root) is left alone. CI runs as root on a clean machine.
set -euo pipefail
missing=()
command -v keystone-manage >/dev/null || missing+=(keystone)
command -v nova-api-wsgi >/dev/null || missing+=(nova-api)
command -v uwsgi >/dev/null || missing+=(uwsgi-core)
[ -e /usr/lib/uwsgi/plugins/python3_plugin.so ] || missing+=(uwsgi-plugin-python3)
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# The packages' own services (an apache or uwsgi keystone on port 5000) are not started:
# policy-rc.d refuses every start while installing.
printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
$SUDO chmod +x /usr/sbin/policy-rc.d
trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
