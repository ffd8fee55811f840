// tar-zstd's way to a secondary site: the same archives, piped through the system's ssh into
// drdrill's store on the site (put / get / list / delete; append-only there when the site is).
import type { SiteEndpoint } from "../site/site.ts";
import type { CommandSpec } from "../exec/types.ts";

const ARCHIVE = ".tar.zst";
const TAR_CREATE = `tar --format=posix --xattrs "--xattrs-include=*" --acls --sparse --numeric-owner --totals`;
const TAR_EXTRACT = `tar --listed-incremental=/dev/null --xattrs "--xattrs-include=*" --acls --numeric-owner -p`;
const SSH = 'site() { $DRDRILL_SITE_SSH "$DRDRILL_SITE_DEST" sh "$DRDRILL_SITE_STORE" "$@"; }';

// $1 source, $2 archive name without suffix, $3 zstd level, $4 the previous .snar's name (incremental only).
const BACKUP = [
  "set -euo pipefail",
  SSH,
  "w=$(mktemp -d); trap 'rm -rf \"$w\"' EXIT",
  'if [ -n "${4:-}" ]; then site get "$4" > "$w/snar"; fi',
  `${TAR_CREATE} --listed-incremental="$w/snar" -C "$1" -cf - . | zstd -T0 -"$3" -q | tee >(wc -c > ` +
    `"$w/bytes") | site put "$2${ARCHIVE}"`,
  'site put "$2.snar" < "$w/snar"',
  'sleep 0.1; echo "archiveBytes $(cat "$w/bytes")"',
].join("\n");

// $1 destination, then the archives to apply in order.
const RESTORE = [
  "set -euo pipefail",
  SSH,
  "d=$1; shift",
  '[ $# -gt 0 ] || { echo "error: no backup to restore on the site" >&2; exit 1; }',
  'mkdir -p -- "$d"',
  `for f; do echo "extracting $f"; site get "$f" | zstd -dcq | ${TAR_EXTRACT} -C "$d" -xf -; done`,
].join("\n");

const CHECK = (deep: boolean) =>
  [
    "set -euo pipefail",
    SSH,
    `files=$(site list | grep '${ARCHIVE}$' || true)`,
    '[ -n "$files" ] || { echo "error: no backup on the site" >&2; exit 1; }',
    deep
      ? 'for f in $files; do echo "reading $f"; site get "$f" | zstd -dcq | tar -tf - > /dev/null; done'
      : 'echo "$files"',
  ].join("\n");

const ERASE = [
  "set -uo pipefail",
  SSH,
  "rc=0",
  'for f in $(site list); do echo "deleting $f"; site delete "$f" || rc=1; done',
  "exit $rc",
].join("\n");

function env(e: SiteEndpoint): Pick<CommandSpec, "env"> {
  return {
    env: {
      DRDRILL_SITE_SSH: e.sshCommand,
      DRDRILL_SITE_DEST: `${e.user}@${e.host}`,
      DRDRILL_SITE_STORE: `${e.path.replace(/\/repo$/, "")}/.drdrill-store`,
    },
  };
}

export const siteScripts = {
  backup: (
    e: SiteEndpoint,
    source: string,
    name: string,
    level: number,
    prevSnar?: string,
  ): Omit<CommandSpec, "label"> => ({
    command: "bash",
    args: ["-c", BACKUP, "tar-zstd-backup", source, name, String(level), ...(prevSnar ? [prevSnar] : [])],
    ...env(e),
  }),
  restore: (e: SiteEndpoint, dest: string, chain: string[]): Omit<CommandSpec, "label"> => ({
    command: "bash",
    args: ["-c", RESTORE, "tar-zstd-restore", dest, ...chain],
    ...env(e),
  }),
  check: (e: SiteEndpoint, deep: boolean): Omit<CommandSpec, "label"> => ({
    command: "bash",
    args: ["-c", CHECK(deep), "tar-zstd-check"],
    ...env(e),
  }),
  list: (e: SiteEndpoint): Omit<CommandSpec, "label"> => ({
    command: "bash",
    args: ["-c", `${SSH}\nsite list`, "tar-zstd-list"],
    ...env(e),
  }),
  erase: (e: SiteEndpoint): Omit<CommandSpec, "label"> => ({
    command: "bash",
    args: ["-c", ERASE, "tar-zstd-erase"],
    ...env(e),
  }),
};
