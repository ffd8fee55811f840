#!/bin/sh
# The seed's runbook, restore: stop MicroStack, duplicity restore of the newest backup (or the one
# DRDRILL_AT names) into DRDRILL_DEST, start MicroStack again.
set -eu
: "${PASSPHRASE:?PASSPHRASE must be set (the GnuPG passphrase)}"
export PASSPHRASE
microstack() {
  if command -v snap >/dev/null 2>&1 && snap list microstack >/dev/null 2>&1; then snap "$1" microstack; fi
}
microstack stop
trap 'microstack start' EXIT
duplicity restore --archive-dir "$DRDRILL_WORK/duplicity-cache" --name runbook --tempdir "$DRDRILL_WORK" \
  --force ${DRDRILL_AT:+--time "$DRDRILL_AT"} "file://$DRDRILL_REPO" "$DRDRILL_DEST"
