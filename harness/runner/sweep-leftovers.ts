// Removes what a drdrill killed hard (SIGKILL, a power cut) left on this machine, from its leases:
// load writers still writing, tmpfs mounts, containers, firewall tables, VMs, run folders set aside
// for removal. Run at the start of every `drdrill run` and by `drdrill clean`.
import { readFile, stat } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { execa } from "execa";
import { forgetRun, leftBehind, type Lease } from "../util/leases.ts";
import { deleteTree, SET_ASIDE } from "./remove-tree.ts";

async function cmdline(pid: number): Promise<string | null> {
  return readFile(`/proc/${pid}/cmdline`, "utf8").then(
    (s) => s.replace(/\0/g, " "),
    () => null,
  );
}

/** Waits (up to 5 s) until a killed process is gone, so `drdrill clean` returns with nothing left. */
async function gone(pid: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await readFile(`/proc/${pid}/stat`, "utf8").catch(() => null)) === null) return;
    await sleep(50);
  }
}

async function release(l: Lease): Promise<boolean> {
  switch (l.kind) {
    case "process-group":
    case "process": {
      const pid = Number(l.id);
      const cmd = await cmdline(pid);
      if (cmd === null) return false;
      if (l.match && !cmd.includes(l.match)) return false; // the pid was reused by something else
      try {
        process.kill(l.kind === "process-group" ? -pid : pid, "SIGKILL");
      } catch {
        return false;
      }
      await gone(pid);
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

/** Releases every lease of runs whose drdrill is gone; returns what was removed. */
export async function sweepLeftovers(): Promise<string[]> {
  const removed: string[] = [];
  for (const run of await leftBehind()) {
    for (const l of run.leases)
      if (await release(l).catch(() => false)) removed.push(`${l.what} (${l.kind} ${l.id}) of run ${run.run}`);
    await forgetRun(run.run);
  }
  return removed;
}
