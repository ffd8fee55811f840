// Removes what a drdrill killed hard (SIGKILL, a power cut) left on this machine, from its leases:
// load writers still writing, tool calls' process groups, tmpfs mounts, containers, firewall tables,
// VMs, run folders set aside for removal, and sandbox clones on ssh hosts. Run at the start of every
// `drdrill run` and by `drdrill clean`. Only the user's own lease files are read (util/leases.ts); a
// process is killed only when it (or, for a group, one of its processes) still holds the lease's
// `match`: a reused pid is left alone.
import { readdir, readFile, stat } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { execa } from "execa";
import { forgetRun, leftBehind, type Lease } from "../util/leases.ts";
import { removeLeftClone } from "../targets/ssh/sandbox.ts";
import { deleteTree, SET_ASIDE } from "./remove-tree.ts";

async function cmdline(pid: number): Promise<string | null> {
  return readFile(`/proc/${pid}/cmdline`, "utf8").then(
    (s) => s.replace(/\0/g, " "),
    () => null,
  );
}

/** Whether the process's command line holds `match`, or its environment holds it as a whole entry. */
async function holds(pid: number, match: string): Promise<boolean> {
  if ((await cmdline(pid))?.includes(match)) return true;
  const env = await readFile(`/proc/${pid}/environ`, "utf8").catch(() => "");
  return `\0${env}`.includes(`\0${match}\0`);
}

/** The live processes of group `pgid` (its leader may be gone while the rest still run; a zombie is gone). */
export async function groupMembers(pgid: number): Promise<number[]> {
  const out: number[] = [];
  for (const name of await readdir("/proc").catch(() => [] as string[])) {
    if (!/^\d+$/.test(name)) continue;
    const text = await readFile(`/proc/${name}/stat`, "utf8").catch(() => "");
    // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) === pgid && fields[0] !== "Z") out.push(Number(name));
  }
  return out;
}

/** Waits (up to 5 s) until `left()` is empty, so `drdrill clean` returns with nothing left. */
async function gone(left: () => Promise<unknown[]>): Promise<void> {
  for (let i = 0; i < 100 && (await left()).length > 0; i++) await sleep(50);
}

async function processLeft(pid: number): Promise<number[]> {
  const text = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => null);
  return text === null || text.slice(text.lastIndexOf(")") + 2).startsWith("Z") ? [] : [pid];
}

async function release(l: Lease): Promise<boolean> {
  switch (l.kind) {
    case "process": {
      const pid = Number(l.id);
      // No match, nothing to tell a reused pid by: left alone. A pid that no longer holds it was reused.
      if (!Number.isInteger(pid) || pid <= 1 || !l.match || !(await cmdline(pid))?.includes(l.match)) return false;
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        return false;
      }
      await gone(() => processLeft(pid));
      return true;
    }
    case "process-group": {
      const pgid = Number(l.id);
      if (!Number.isInteger(pgid) || pgid <= 1 || !l.match) return false;
      const members = await groupMembers(pgid);
      let held = false;
      for (const pid of members) if ((held = await holds(pid, l.match))) break;
      if (!held) return false;
      try {
        process.kill(-pgid, "SIGKILL");
      } catch {
        return false;
      }
      await gone(() => groupMembers(pgid));
      return true;
    }
    case "mount": {
      const r = await execa("umount", ["-l", l.id], { reject: false });
      return r.exitCode === 0;
    }
    case "container": {
      const r = await execa("docker", ["rm", "-f", "-v", l.id], { reject: false });
      return r.exitCode === 0;
    }
    case "tree": {
      // Only a folder drdrill itself moved aside for removal is ever deleted.
      if (!SET_ASIDE.test(l.id)) return false;
      await deleteTree(l.id);
      return !(await stat(l.id).catch(() => null));
    }
    case "remote-tree":
      // A sandbox clone on a host: reached again over SSH, removed only when its mark names the run.
      return removeLeftClone(l);
    case "nft-table": {
      const [family, name, netns] = l.id.split(" ");
      const args = netns
        ? ["nsenter", "-t", netns, "-n", "nft", "delete", "table", family!, name!]
        : ["nft", "delete", "table", family!, name!];
      const r = await execa(args[0]!, args.slice(1), { reject: false });
      return r.exitCode === 0;
    }
  }
}

/**
 * Releases every lease of runs whose drdrill is gone; returns what was removed, and the lease files
 * (or the folder) ignored because someone else could have written them, and sandbox clones on hosts
 * that were not removed (the host unreachable, the folder not drdrill's), with where they are.
 */
export async function sweepLeftovers(): Promise<{ removed: string[]; ignored: string[] }> {
  const removed: string[] = [];
  const { runs, ignored } = await leftBehind();
  for (const run of runs) {
    for (const l of run.leases) {
      let why = "";
      const done = await release(l).catch((e: Error) => ((why = e.message), false));
      if (done) removed.push(`${l.what} (${l.kind} ${l.id}) of run ${run.run}`);
      // A clone on a host is not on this machine: who cannot reach it is told where it is.
      else if (l.kind === "remote-tree")
        ignored.push(`${l.what} was not removed (${why || "its mark does not name the run"}): remove ${l.id} there`);
    }
    await forgetRun(run.run);
  }
  return { removed, ignored };
}
