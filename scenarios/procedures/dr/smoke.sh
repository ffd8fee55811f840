#!/bin/sh
# The seed's runbook, the check that the cloud is back: with MicroStack, a token and the image list;
# everywhere, MicroStack's key folders are in the data directory. Prints what it found.
set -eu
if command -v snap >/dev/null 2>&1 && snap list microstack >/dev/null 2>&1; then
  microstack.openstack token issue -f value -c expires
  microstack.openstack image list -f value -c Name
fi
for d in etc fernet-keys credential-keys; do
  [ -d "$DRDRILL_SOURCE/$d" ] || { echo "$d/ is missing from $DRDRILL_SOURCE" >&2; exit 1; }
done
echo "smoke: etc, fernet-keys and credential-keys are back"
