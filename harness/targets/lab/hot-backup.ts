// Hot mode: before each backup a consistent physical copy of MariaDB (mariabackup --backup, then
// --prepare) is made inside the data directory, so it goes into the backup; after a restore it takes
// the place of the live InnoDB files the file-level backup caught mid-write.
import type { ConfinedDir } from "../../agent/confined-dir.ts";
import type { CommandExecutor } from "../../exec/types.ts";
import { SNAP_COMMON } from "../../images/lab/names.ts";

/** Relative to $SNAP_COMMON. */
export const HOT_COPY = "lib/mysql-hot-backup";

const PREPARE = [
  `set -e; copy="$SNAP_COMMON/${HOT_COPY}"; rm -rf "$copy"`,
  `mariabackup --defaults-file="$SNAP_COMMON/etc/mysql/my.cnf" --backup --user=root --target-dir="$copy"`,
  `mariabackup --prepare --target-dir="$copy"`,
].join("\n");

export async function prepareHotCopy(exec: CommandExecutor): Promise<void> {
  const r = await exec.run({
    label: "lab-mariabackup",
    command: "bash",
    args: ["-c", PREPARE],
    env: { SNAP_COMMON },
    timeoutMs: 10 * 60_000,
  });
  if (r.failed)
    throw new Error(`hot backup: mariabackup failed (${r.stderr.trim().split("\n").at(-1) ?? `exit ${r.exitCode}`})`);
}

/** After a restore in hot mode: the consistent copy becomes the datadir. Returns whether it did. */
export async function useHotCopy(data: ConfinedDir): Promise<boolean> {
  const st = (await data.stat([HOT_COPY]))[HOT_COPY];
  if (!st || !("type" in st) || st.type !== "dir") return false;
  await data.replace(HOT_COPY, "lib/mysql");
  return true;
}
