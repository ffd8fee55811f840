#!/usr/bin/env bash
# Builds the lab's base image without a container registry: debootstrap a minimal Debian bookworm
# and `docker import` it. Called by `drdrill lab build` (harness/lab/build.ts), which passes the
# Debian mirror it read from this host's apt sources.
#   DEBIAN_MIRROR=<url> ci/lab/base.sh <image:tag>
set -euo pipefail
tag=${1:?usage: base.sh IMAGE:TAG}
: "${DEBIAN_MIRROR:?set DEBIAN_MIRROR (drdrill lab build reads it from the apt sources of this host)}"
command -v debootstrap >/dev/null || { echo "base.sh: debootstrap is missing (bash ci/setup.sh docker installs it)" >&2; exit 3; }

work=$(mktemp -d /var/tmp/drdrill-lab-base.XXXXXX)
trap 'rm -rf "$work"' EXIT
rootfs=$work/rootfs

debootstrap --variant=minbase bookworm "$rootfs" "$DEBIAN_MIRROR" >"$work/debootstrap.log" 2>&1 || {
  tail -n 30 "$work/debootstrap.log" >&2; exit 1; }
# debootstrap leaves ~80 MB of .debs and package lists, and its own sources.list (naming the
# mirror): the image gets neither; the lab Dockerfile brings its sources in for the install only.
rm -f "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/etc/apt/sources.list
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/*.log "$rootfs"/var/cache/apt/*.bin
tar -C "$rootfs" --numeric-owner -c . | docker import --message "drdrill lab base (debootstrap minbase bookworm)" - "$tag" >/dev/null
size=$(docker image inspect -f '{{.Size}}' "$tag")
echo "base image $tag: $((size / 1000000)) MB"
