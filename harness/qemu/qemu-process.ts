// qemu as a child in its own process group, registered with the Ctrl-C path (killAllGroups), its
// output in a log file. (A qemu seen by its pid alone: harness/images/vm/vm-process.ts.)
import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { killGroup, trackGroup, untrackGroup } from "../exec/live-groups.ts";
import { EnvironmentError } from "../model/errors.ts";

export const QEMU = "qemu-system-x86_64";

export interface QemuProcess {
  pid: number;
  /** Settles when qemu has exited (exit code, or the signal that ended it). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  hasExited(): boolean;
  /** TERM to its group, KILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
  /** Leave it running after this process ends, and out of the Ctrl-C path. */
  detach(): void;
}

/** Starts qemu with `args`; stdout and stderr go to `logFile`. */
export async function spawnQemu(args: string[], logFile: string): Promise<QemuProcess> {
  const fd = openSync(logFile, "a");
  const child = spawn(QEMU, args, { detached: true, stdio: ["ignore", fd, fd] });
  closeSync(fd);
  const pid = await new Promise<number>((resolve, reject) => {
    child.once("spawn", () => resolve(child.pid!));
    child.once("error", (e: NodeJS.ErrnoException) =>
      reject(e.code === "ENOENT" ? new EnvironmentError(`${QEMU} is not installed: run \`bash ci/setup.sh vm\``) : e),
    );
  });
  trackGroup(pid);
  child.unref();
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => {
      done = true;
      untrackGroup(pid);
      resolve({ code, signal });
    });
  });
  return {
    pid,
    exited,
    hasExited: () => done,
    async stop(graceMs = 5000) {
      if (done) return;
      killGroup(pid, "SIGTERM");
      const timer = sleep(graceMs).then(() => "late" as const);
      if ((await Promise.race([exited, timer])) === "late") killGroup(pid, "SIGKILL");
      await exited;
    },
    detach() {
      untrackGroup(pid);
    },
  };
}
