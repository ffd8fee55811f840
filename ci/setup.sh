#!/usr/bin/env bash
# Installs what drdrill needs on a Debian/Ubuntu machine, only what is missing.
#   ci/setup.sh tools    npm packages + backup tools (duplicity, gnupg, restic, borg, zstd, attr)
#   ci/setup.sh docker   Docker engine (docker.io) + debootstrap, and starts dockerd if none answers
#   ci/setup.sh browser  Chromium for the HTML report test
set -euo pipefail
cd "$(dirname "$0")/.."

say() { if [ -z "${CI:-}" ] || [ -n "${DRDRILL_SETUP_VERBOSE:-}" ]; then echo "setup: $*" >&2; fi; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "setup: need root to run: $*" >&2; return 1; fi
}

apt_updated=0
apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing ${missing[*]} from Debian's packages"
  if [ $apt_updated = 0 ]; then as_root apt-get update -qq >/dev/null; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

npm_deps() {
  if [ ! -d node_modules/.bin ] || [ package.json -nt node_modules/.package-lock.json ]; then
    say "installing npm packages"
    npm install --no-audit --no-fund --loglevel=error >/dev/null
  fi
}

tools() {
  npm_deps
  apt_install duplicity gnupg restic borgbackup zstd attr
}

docker_engine() {
  apt_install docker.io debootstrap
  if ! docker info >/dev/null 2>&1; then
    say "starting dockerd"
    as_root sh -c 'nohup dockerd >/var/log/drdrill-dockerd.log 2>&1 &'
    for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
    docker info >/dev/null 2>&1 || { echo "setup: dockerd did not start; see /var/log/drdrill-dockerd.log" >&2; return 1; }
  fi
}

browser() {
  apt_install chromium
}

for what in "${@:-tools}"; do
  case "$what" in
    tools) tools ;;
    docker) docker_engine ;;
    browser) browser ;;
    *) echo "setup: unknown part '$what' (tools, docker, browser)" >&2; exit 2 ;;
  esac
done
