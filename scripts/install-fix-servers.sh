#!/bin/sh
# Installs, from Debian's apt only, the servers the fix-recipe proof tests (test/fixes/proof-*.test.ts)
# start: Flask + flask-cors, Django + django-cors-headers, FastAPI/Starlette + uvicorn, nginx, Apache,
# Caddy, Go with rs/cors. Idempotent: installs only what is absent and runs `apt-get update` at most once.
# Run as root (or with sudo available) on Debian bookworm.
set -eu

# mitmproxy: not a server the tests start, but the HAR producer that test/fixtures/producers/record.mjs records with.
PACKAGES="python3-flask python3-flask-cors python3-django python3-django-cors-headers python3-fastapi python3-uvicorn nginx apache2 caddy golang-go golang-github-rs-cors-dev mitmproxy"

missing=""
for p in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

if [ -z "$missing" ]; then
  echo "install-fix-servers: all present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi

echo "install-fix-servers: installing$missing"
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
echo "install-fix-servers: done"
