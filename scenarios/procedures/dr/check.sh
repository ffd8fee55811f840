#!/bin/sh
# The seed's runbook, check: the backup chain is whole (light), or every file matches the data (deep).
set -eu
: "${PASSPHRASE:?PASSPHRASE must be set (the GnuPG passphrase)}"
export PASSPHRASE
common="--archive-dir $DRDRILL_WORK/duplicity-cache --name runbook --tempdir $DRDRILL_WORK"
if [ "${DRDRILL_CHECK:-light}" = deep ]; then
  duplicity verify $common "file://$DRDRILL_REPO" "$DRDRILL_SOURCE"
else
  duplicity collection-status $common "file://$DRDRILL_REPO"
fi
