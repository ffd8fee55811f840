#!/bin/sh
# The seed's runbook, restore: stop MicroStack, duplicity restore of the newest backup (or the one
# DRDRILL_AT names) into DRDRILL_DEST. MicroStack is NOT started here: its data directory is still
# the lost one until the restored copy is in place (drdrill moves DRDRILL_DEST there after this
# script); starting it now fails ("etc is missing"). dr/fix-up.sh starts it, after the data is back.
set -eu
: "${PASSPHRASE:?PASSPHRASE must be set (the GnuPG passphrase)}"
export PASSPHRASE
if command -v snap >/dev/null 2>&1 && snap list microstack >/dev/null 2>&1; then snap stop microstack; fi
duplicity restore --archive-dir "$DRDRILL_WORK/duplicity-cache" --name runbook --tempdir "$DRDRILL_WORK" \
  --force ${DRDRILL_AT:+--time "$DRDRILL_AT"} "file://$DRDRILL_REPO" "$DRDRILL_DEST"
