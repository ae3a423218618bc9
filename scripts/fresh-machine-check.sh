#!/bin/sh
# The fresh-machine check: builds a throw-away Debian bookworm root with debootstrap (what a new Debian
# machine has: the base system, Debian's standard apt sources), adds only what the README's Quick start
# assumes (Node 20 — copied from this machine — and git), clones the repository's HEAD into it and runs the
# Quick start's commands there as root: `npm ci`, then `npm start`, then `npm test`. A missing install step
# (a package the commands need but do not install) fails here before a user meets it.
#
# Usage (as root, on Debian/Ubuntu with network access to Debian's apt and the npm registry):
#   sh scripts/fresh-machine-check.sh [--root DIR] [--keep] [--] [COMMAND...]
#   COMMAND defaults to: npm ci && npm start && npm test   (run in the clone, inside the root)
# --root DIR   reuse or create the root there (default: a new directory under /var/tmp)
# --keep       keep the root afterwards (a second run with --root DIR skips debootstrap)
# Needs: debootstrap (apt-get install debootstrap). Takes a while: it downloads the base system, then the
# Quick start installs Chromium, Firefox ESR and the fix-proof servers from apt.
set -eu

REPO=$(cd "$(dirname "$0")/.." && pwd)
ROOT=""
KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --root) ROOT=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --) shift; break ;;
    *) break ;;
  esac
done
COMMAND=${*:-"npm ci && npm start && npm test"}

[ "$(id -u)" = 0 ] || { echo "fresh-machine-check: run as root (debootstrap and chroot need it)"; exit 2; }
command -v debootstrap >/dev/null || { echo "fresh-machine-check: needs debootstrap: apt-get install -y debootstrap"; exit 2; }
NODE=$(command -v node)
"$NODE" -e 'process.exit(Number(process.versions.node.split(".")[0]) === 20 ? 0 : 1)' || { echo "fresh-machine-check: needs Node 20 on this machine (it is copied into the root)"; exit 2; }
NPM_DIR=$(cd "$(dirname "$(readlink -f "$(command -v npm)")")/.." && pwd)

if [ -z "$ROOT" ]; then ROOT=$(mktemp -d /var/tmp/cors-doctor-fresh-XXXXXX); fi
MOUNTS=""
cleanup() {
  for m in $MOUNTS; do umount -l "$ROOT$m" 2>/dev/null || true; done
  if [ "$KEEP" = 0 ]; then rm -rf --one-file-system "$ROOT"; else echo "fresh-machine-check: root kept in $ROOT"; fi
}
trap cleanup EXIT

if [ ! -x "$ROOT/usr/bin/apt-get" ]; then
  echo "fresh-machine-check: debootstrap bookworm into $ROOT"
  debootstrap --variant=minbase bookworm "$ROOT" http://deb.debian.org/debian >"$ROOT.debootstrap.log" 2>&1 \
    || { tail -20 "$ROOT.debootstrap.log"; exit 1; }
fi
# A fresh Debian install's apt sources: the release, its updates and its security archive.
cat >"$ROOT/etc/apt/sources.list" <<'EOF'
deb http://deb.debian.org/debian bookworm main
deb http://deb.debian.org/debian bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
EOF
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
# What the installer writes on a real machine and debootstrap does not: the loopback names.
[ -s "$ROOT/etc/hosts" ] || printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >"$ROOT/etc/hosts"
for m in /proc /sys /dev /dev/pts /dev/shm; do
  mkdir -p "$ROOT$m"
  mount --bind "$m" "$ROOT$m"
  MOUNTS="$m $MOUNTS"
done

# What the Quick start assumes is there: Node 20 (with npm) and git. Nothing else.
mkdir -p "$ROOT/usr/local/bin" "$ROOT/usr/local/lib/node_modules"
cp "$NODE" "$ROOT/usr/local/bin/node"
rm -rf "$ROOT/usr/local/lib/node_modules/npm"
cp -r "$NPM_DIR" "$ROOT/usr/local/lib/node_modules/npm"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$ROOT/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$ROOT/usr/local/bin/npx"
chroot "$ROOT" sh -c 'command -v git >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends git ca-certificates >/dev/null)'

# The repository as a newcomer gets it: a clone of the committed HEAD (no node_modules, no dist, no
# artifacts), with shared/ beside it as CI has it.
rm -rf "$ROOT/work"
mkdir -p "$ROOT/work"
git clone -q --no-local "$REPO" "$ROOT/work/cors-doctor"
if [ -d "$REPO/../shared" ]; then cp -r "$REPO/../shared" "$ROOT/work/shared"; fi

# A network that re-signs TLS with its own CA (a proxy) is this machine's, not the project's: when this machine
# tells Node about extra CAs, the root gets the same bundle. On an ordinary network nothing is passed.
CA_ENV=""
if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f "$NODE_EXTRA_CA_CERTS" ]; then
  cp "$NODE_EXTRA_CA_CERTS" "$ROOT/etc/host-extra-ca.crt"
  CA_ENV="NODE_EXTRA_CA_CERTS=/etc/host-extra-ca.crt"
fi

echo "fresh-machine-check: running in the fresh root: $COMMAND"
set +e
# shellcheck disable=SC2086
chroot "$ROOT" env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 CI="${CI:-}" $CA_ENV \
  sh -c "cd /work/cors-doctor && $COMMAND"
status=$?
set -e
echo "fresh-machine-check: exit $status"
exit $status
