#!/bin/sh
# The seed's runbook, after the restore: what a person does before calling the cloud back (inside RTO).
# The data directory must have come back with MicroStack's configuration in it; with MicroStack, start
# it (a no-op when it runs) and wait until Keystone issues a token on the restored state (60 s at most).
set -eu
[ -d "$DRDRILL_SOURCE/etc" ] || { echo "no etc/ in $DRDRILL_SOURCE after the restore" >&2; exit 1; }
if command -v snap >/dev/null 2>&1 && snap list microstack >/dev/null 2>&1; then
  snap start microstack
  i=0
  until microstack.openstack token issue -f value -c id >/dev/null 2>&1; do
    i=$((i + 1))
    [ "$i" -lt 60 ] || { echo "keystone issues no token 60 s after the restore" >&2; exit 1; }
    sleep 1
  done
fi
echo "fix-up done: $(ls "$DRDRILL_SOURCE" | wc -l) entries in the data directory"
