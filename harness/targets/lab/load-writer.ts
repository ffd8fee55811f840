// The lab's load writer (scripts/load-writer.sh): rows of sequence + timestamp written continuously
// into MariaDB, so achieved RPO is measured against real service writes; and the newest survivor.
import { execa } from "execa";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import type { CommandExecutor } from "../../exec/types.ts";
import type { LoadSurvivor } from "../target.ts";

interface PathPair {
  host: string;
  exec: string;
}
import type { ExecContainer } from "./docker-executor.ts";

export const LOAD_TABLE_SQL = [
  "CREATE DATABASE IF NOT EXISTS drdrill",
  "CREATE TABLE IF NOT EXISTS drdrill.load_records (seq BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY, wall_ms " +
    "BIGINT NOT NULL, pad VARCHAR(64)) ENGINE=InnoDB",
].join("; ");

const INTERVAL_S = "0.1";

export class LoadWriter {
  constructor(
    private readonly bin: PathPair,
    private readonly ctl: PathPair,
  ) {}

  get #pidFile(): PathPair {
    return { host: join(this.ctl.host, "load-writer.pid"), exec: join(this.ctl.exec, "load-writer.pid") };
  }

  /** Starts it detached, in its own session inside the container. */
  async start(c: ExecContainer): Promise<void> {
    await rm(this.#pidFile.host, { force: true });
    const log = join(this.ctl.exec, "load-writer.log");
    const script = `exec ${join(this.bin.exec, "load-writer.sh")} ${INTERVAL_S} ${this.#pidFile.exec} >>${log} 2>&1`;
    await execa("docker", ["exec", "-d", c.name, "setsid", "bash", "-c", script], { stdin: "ignore" });
  }

  /** Stops it (its whole process group), if it runs. */
  async stop(c: ExecContainer): Promise<void> {
    const pgid = Number((await readFile(this.#pidFile.host, "utf8").catch(() => "")).trim());
    if (!pgid) return;
    if (!(await c.procs.killGroup(pgid, "SIGTERM"))) {
      await execa("docker", ["exec", c.name, "kill", "-TERM", "--", `-${pgid}`], { reject: false, stdin: "ignore" });
    }
    await rm(this.#pidFile.host, { force: true });
  }

  /** The newest row in the database (the database must be running). */
  static async newest(exec: CommandExecutor): Promise<LoadSurvivor> {
    const r = await exec.run({
      label: "lab-load-survivor",
      command: "microstack.mysql",
      args: ["-N", "-B", "-e", "SELECT seq, wall_ms FROM drdrill.load_records ORDER BY seq DESC LIMIT 1"],
      timeoutMs: 60_000,
    });
    const [seq, wall] = r.stdout.trim().split(/\s+/).map(Number);
    if (r.failed || !seq || !wall) return { newestWallMs: null, newestSeq: null };
    return { newestWallMs: wall, newestSeq: seq };
  }
}
