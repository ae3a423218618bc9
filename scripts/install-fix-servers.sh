#!/bin/sh
# Installs, from Debian's apt only, the servers the fix-recipe proof tests (test/fixes/proof-*.test.ts) and
# the probe tests start: Flask + flask-cors, Django + django-cors-headers, FastAPI/Starlette + uvicorn,
# nginx, Apache, Caddy, Go with rs/cors. Idempotent (scripts/apt-install.sh installs only what is absent).
# `npm test` runs this for you (scripts/ensure-system.mjs reads the list below); run it by hand as root
# (or with sudo available) on Debian bookworm.
set -eu

# mitmproxy: not a server the tests start, but the HAR producer that test/fixtures/producers/record.mjs records with.
PACKAGES="python3-flask python3-flask-cors python3-django python3-django-cors-headers python3-fastapi python3-uvicorn nginx apache2 caddy golang-go golang-github-rs-cors-dev mitmproxy"

# shellcheck disable=SC2086
exec sh "$(dirname "$0")/apt-install.sh" $PACKAGES
