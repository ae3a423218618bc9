#!/bin/sh
# Installs the given Debian packages from apt, only those absent, running `apt-get update` at most once.
# Used by scripts/ensure-system.mjs (the set-up step of `npm test` and `npm start`) and by
# scripts/install-fix-servers.sh. Runs as root, or through sudo when that is available.
# Usage: sh scripts/apt-install.sh PACKAGE...
set -eu

missing=""
for p in "$@"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

if [ -z "$missing" ]; then
  echo "apt-install: all present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi

echo "apt-install: installing$missing"
export DEBIAN_FRONTEND=noninteractive
# The tests start their own nginx/apache2/caddy on ephemeral ports. Keep the packages' services from
# starting during the install (nginx and apache2 would both want port 80, and a failed start fails dpkg):
# policy-rc.d exit 101 is Debian's "action forbidden" for invoke-rc.d. Only ours is removed afterwards.
POLICY=/usr/sbin/policy-rc.d
if [ ! -e "$POLICY" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
  $SUDO chmod 755 "$POLICY"
  trap '$SUDO rm -f "$POLICY"' EXIT
fi
# Serialise with other agents/scripts using apt on this machine when flock is available.
if command -v flock >/dev/null 2>&1; then LOCK="flock /tmp/apt.lock"; else LOCK=""; fi
$SUDO $LOCK apt-get update -qq -o DPkg::Lock::Timeout=600 >/dev/null
# shellcheck disable=SC2086
$SUDO $LOCK apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 $missing >/dev/null
echo "apt-install: done"
