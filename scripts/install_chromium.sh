#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (tests/browser): install it where it is missing.
# CI starts from a clean machine as root; a developer who is not root is told the command instead.
set -euo pipefail
CHROMIUM="${CLOUDPLANE_CHROMIUM:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Chromium is missing: the browser tests will be skipped. Install it with: sudo apt-get install chromium" >&2
  exit 0
fi
command -v apt-get >/dev/null || { echo "no apt-get: install Chromium at $CHROMIUM yourself" >&2; exit 0; }
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
