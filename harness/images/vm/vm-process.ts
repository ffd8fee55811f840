// A VM's qemu process seen by its pid, whoever started it: is it alive, what is its command line,
// and stopping it (TERM to its group, then KILL).
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { killGroup } from "../../exec/live-groups.ts";

/** True while `pid` runs (a zombie counts as gone). */
export function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** The command line of `pid`, NUL-separated arguments joined by spaces ("" when it is gone). */
export function processCmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
  } catch {
    return "";
  }
}

/** Stops a qemu that may not be our child: TERM to its group, KILL after `graceMs`, wait until gone. */
export async function stopQemuPid(pid: number, graceMs = 5000): Promise<void> {
  killGroup(pid, "SIGTERM");
  for (let waited = 0; processAlive(pid); waited += 100) {
    if (waited === graceMs) killGroup(pid, "SIGKILL");
    if (waited > graceMs + 10_000) throw new Error(`qemu (pid ${pid}) did not exit after SIGKILL`);
    await sleep(100);
  }
}
