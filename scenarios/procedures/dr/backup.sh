#!/bin/sh
# The seed's runbook, backup: stop MicroStack, duplicity full (GnuPG, symmetric, the passphrase from
# the environment), start MicroStack again whatever happened. Where there is no MicroStack (the local
# target) stopping and starting it is a no-op.
set -eu
: "${PASSPHRASE:?PASSPHRASE must be set (the GnuPG passphrase)}"
export PASSPHRASE
microstack() {
  if command -v snap >/dev/null 2>&1 && snap list microstack >/dev/null 2>&1; then snap "$1" microstack; fi
}
microstack stop
trap 'microstack start' EXIT
duplicity full --archive-dir "$DRDRILL_WORK/duplicity-cache" --name runbook --tempdir "$DRDRILL_WORK" \
  --volsize 50 "$DRDRILL_SOURCE" "file://$DRDRILL_REPO"
