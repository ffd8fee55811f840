// Processes of one container seen from the host: the host pids of an in-container process group,
// so the harness can time out, kill and measure (RSS) a tool running inside the container.
import { readdir, readFile, readlink } from "node:fs/promises";

/** Host pid -> the pid namespace it lives in (`pid:[4026532...]`), null when unreadable. */
async function pidNs(pid: number | string): Promise<string | null> {
  return readlink(`/proc/${pid}/ns/pid`).catch(() => null);
}

/** The last (innermost) number of a NSpid/NSpgid line of /proc/PID/status. */
function innermost(status: string, field: "NSpid" | "NSpgid"): number | null {
  const m = new RegExp(`^${field}:\\s*([\\d\\s]+)$`, "m").exec(status);
  const nums = m?.[1]!.trim().split(/\s+/).map(Number);
  return nums && nums.length > 0 ? nums.at(-1)! : null;
}

export class ContainerProcs {
  #ns: string | null = null;

  /** `initHostPid`: the container's PID 1 as the host sees it (`docker inspect .State.Pid`). */
  constructor(private readonly initHostPid: number) {}

  async #namespace(): Promise<string | null> {
    this.#ns ??= await pidNs(this.initHostPid);
    return this.#ns;
  }

  /** Host pids of the container's processes whose in-container pgid (or pid) is `inner`. */
  async find(inner: number, by: "pgid" | "pid"): Promise<number[]> {
    const ns = await this.#namespace();
    if (!ns) return [];
    const out: number[] = [];
    for (const name of await readdir("/proc").catch(() => [] as string[])) {
      if (!/^\d+$/.test(name)) continue;
      const status = await readFile(`/proc/${name}/status`, "utf8").catch(() => "");
      if (innermost(status, by === "pgid" ? "NSpgid" : "NSpid") !== inner) continue;
      if ((await pidNs(name)) === ns) out.push(Number(name));
    }
    return out;
  }

  /** Signals every process of the in-container group from the host; false if any refused (EPERM). */
  async killGroup(pgid: number, signal: NodeJS.Signals): Promise<boolean> {
    let ok = true;
    for (const pid of await this.find(pgid, "pgid")) {
      try {
        process.kill(pid, signal);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "EPERM") ok = false;
      }
    }
    return ok;
  }
}
