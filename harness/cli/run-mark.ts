// The mark drdrill leaves in a run folder it takes (`.drdrill-run`: the run id, the drdrill's pid and
// host), created exclusively, so that two runs never take one folder, and `--replace` can tell a
// drdrill run folder (and whether its drdrill still runs) from any other folder.
import { randomBytes } from "node:crypto";
import { readFile, rename, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { alive } from "../util/leases.ts";

export const MARK = ".drdrill-run";
/** A mark renamed by the drdrill replacing its folder (`.drdrill-run.replacing-PID-HEX`). */
const CLAIMED = /^\.drdrill-run\.replacing-(\d+)-[0-9a-f]+$/;

export interface RunMark {
  drdrill: "run-folder";
  runId: string;
  pid: number;
  host: string;
  takenAt: string;
}

/** Marks `dir` as this process's run folder; fails with EEXIST when another run marked it first. */
export async function writeMark(dir: string, runId: string): Promise<void> {
  const mark: RunMark = {
    drdrill: "run-folder",
    runId,
    pid: process.pid,
    host: hostname(),
    takenAt: new Date().toISOString(),
  };
  await writeFile(join(dir, MARK), `${JSON.stringify(mark)}\n`, { flag: "wx" });
}

async function readMark(path: string): Promise<RunMark | null> {
  try {
    const m = JSON.parse(await readFile(path, "utf8")) as Partial<RunMark> | null;
    return m?.drdrill === "run-folder" &&
      typeof m.runId === "string" &&
      Number.isInteger(m.pid) &&
      typeof m.host === "string"
      ? (m as RunMark)
      : null;
  } catch {
    return null;
  }
}

async function isDrdrill(pid: number): Promise<boolean> {
  if (!alive(pid)) return false;
  const cmd = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => null);
  return cmd === null || cmd.includes("drdrill");
}

/** Whether a process is replacing the folder now (a claimed mark whose drdrill still runs). */
export function claimedBy(name: string): number | null {
  const m = CLAIMED.exec(name);
  return m ? Number(m[1]) : null;
}

export type Claim = { ok: true; mark: RunMark } | { ok: false; why: string };

/**
 * Claims a finished run folder for replacement: its mark (or the mark of a replacement that died
 * half-way) is renamed to one of this process's own. Only one drdrill can win that rename; a folder
 * whose drdrill still runs, or runs on another host, is never claimed.
 */
export async function claimRunFolder(dir: string, entries: string[]): Promise<Claim> {
  const stale = entries.filter((n) => claimedBy(n) !== null);
  for (const n of stale)
    if (await isDrdrill(claimedBy(n)!))
      return { ok: false, why: `is being replaced by drdrill (pid ${claimedBy(n)}) now` };
  const name = entries.includes(MARK) ? MARK : stale[0];
  const mark = name ? await readMark(join(dir, name)) : null;
  if (!name || !mark)
    return {
      ok: false,
      why: `is not marked as a drdrill run folder (no readable ${MARK}; a folder from an older drdrill has none)`,
    };
  if (mark.host !== hostname())
    return {
      ok: false,
      why: `was taken by drdrill on host ${mark.host} (pid ${mark.pid}); this machine cannot tell if it still runs`,
    };
  if (await isDrdrill(mark.pid)) return { ok: false, why: `is in use: its drdrill (pid ${mark.pid}) still runs` };
  const claimed = join(dir, `${MARK}.replacing-${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    await rename(join(dir, name), claimed);
  } catch {
    return { ok: false, why: "was just claimed by another drdrill run" };
  }
  // Between reading the mark and renaming it, another run may have replaced the folder and marked
  // it anew: then this one renamed the new run's mark; it goes back, and the folder is not ours.
  const got = await readMark(claimed);
  if (got?.runId !== mark.runId || got.pid !== mark.pid) {
    await rename(claimed, join(dir, MARK)).catch(() => {});
    return { ok: false, why: "was just taken by another drdrill run" };
  }
  return { ok: true, mark };
}
