#!/usr/bin/env bash
# Installs what drdrill needs on a Debian/Ubuntu machine, only what is missing.
#   ci/setup.sh tools    npm packages (in a checkout) + backup tools (duplicity, gnupg, restic, borg, zstd, attr),
#                        lsyncd + rsync (replication),
#                        OpenSSH's client and paramiko (secondary sites), nftables (network faults)
#   ci/setup.sh docker   Docker engine (docker.io) + debootstrap, and starts dockerd if none answers
#   ci/setup.sh browser  Chromium for the HTML report test
#   ci/setup.sh vm       qemu (system emulator and qemu-img), the OpenSSH client and e2fsprogs for the VM
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

# A checkout's own (drdrill's repository, or the action's copy of it); an installed drdrill (in a project's
# node_modules, or the image) has its dependencies beside it already, and is left alone.
npm_deps() {
  [ -d harness ] || return 0
  if [ ! -d node_modules/.bin ] || [ package.json -nt node_modules/.package-lock.json ]; then
    say "installing npm packages"
    npm install --no-audit --no-fund --loglevel=error >/dev/null
  fi
}

tools() {
  npm_deps
  apt_install duplicity gnupg restic borgbackup zstd attr lsyncd rsync openssh-client python3-paramiko nftables
}

docker_answers() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

# Docker engine from Debian's packages (docker.io) and debootstrap (the lab image's base is built
# without a registry). If no daemon answers, start one: through the init system when there is one,
# else dockerd in the background; then wait for it, and say where its log is if it never answers.
docker_engine() {
  apt_install docker.io debootstrap
  docker_answers && return 0
  say "starting dockerd"
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
    as_root systemctl start docker || true
  fi
  if ! docker_answers && ! pgrep -x dockerd >/dev/null; then
    as_root sh -c 'nohup dockerd >/var/log/drdrill-dockerd.log 2>&1 &'
  fi
  for _ in $(seq 1 60); do docker_answers && return 0; sleep 1; done
  echo "setup: dockerd did not answer within 60 s; the end of /var/log/drdrill-dockerd.log:" >&2
  as_root tail -n 15 /var/log/drdrill-dockerd.log >&2 || true
  return 1
}

browser() {
  apt_install chromium
}

# The VM (harness/images/vm, harness/qemu): qemu boots it, qemu-img makes each run's overlay, ssh and ssh-keygen reach
# it, mkfs.ext4 -d makes its disk (drdrill vm build also needs the docker part).
vm() {
  apt_install qemu-system-x86 qemu-utils openssh-client e2fsprogs
}

for what in "${@:-tools}"; do
  case "$what" in
    tools) tools ;;
    docker) docker_engine ;;
    browser) browser ;;
    vm) vm ;;
    *) echo "setup: unknown part '$what' (tools, docker, browser, vm)" >&2; exit 2 ;;
  esac
done
