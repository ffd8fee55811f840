// Runs a command inside the lab container (`docker exec`), the way LocalExecutor runs one on the host:
// in its own process group (setsid), a timeout that kills the whole group *inside* the container
// (killing `docker exec` alone would leave it running), redacted logs, CPU time (bash `times`) and
// peak RSS of the process tree. Secrets pass as `-e NAME` with the value in docker's environment only.
import { execa } from "execa";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseBashTimes } from "../../exec/local-executor.ts";
import { startKillTimer } from "../../exec/kill-timer.ts";
import { killGroup, trackGroup, untrackGroup } from "../../exec/live-groups.ts";
import { commandResult } from "../../exec/command-result.ts";
import { LogSink, pipeOutput } from "../../exec/log-sink.ts";
import { startRssSampler, treeMaxReadBytes } from "../../exec/process-tree.ts";
import { displayCommand, shellQuote } from "../../exec/quote.ts";
import type { CommandExecutor, CommandResult, CommandSpec } from "../../exec/types.ts";
import { monoMs } from "../../util/clock.ts";
import type { SecretStore } from "../../util/secrets.ts";

/** One location seen from both sides: this machine and inside the container. */
interface PathPair {
  host: string;
  exec: string;
}
import type { ContainerProcs } from "./container-procs.ts";

// `$$` is the group leader (setsid); the tool runs as its child so `times` can report the tree's CPU.
const WRAPPER = `echo $$ > "$DRDRILL_PID_FILE"; "$@"; rc=$?; times > "$DRDRILL_TIMES_FILE"; exit $rc`;
// setsid from a child of sh (not a group leader) needs no fork, and sh reports a death by signal N
// as 128 + N, like any shell (a forking `setsid -w` would exit with plain N).
const LAUNCH = 'setsid bash -c "$0" "$@"; exit $?';

export interface ExecContainer {
  name: string;
  procs: ContainerProcs;
}

let counter = 0;

export class DockerExecutor implements CommandExecutor {
  #c: ExecContainer;

  /** `ctl`: a folder mounted in the container, where pid and times files are exchanged. */
  constructor(
    container: ExecContainer,
    private readonly logDir: string,
    private readonly secrets: SecretStore,
    private readonly ctl: PathPair,
  ) {
    this.#c = container;
  }

  get where(): string {
    return `lab container ${this.#c.name}`;
  }

  get container(): string {
    return this.#c.name;
  }

  /** Later commands go to another container (a replacement node). */
  use(container: ExecContainer): void {
    this.#c = container;
  }

  async #innerPgid(pidFile: string): Promise<number | null> {
    const n = Number((await readFile(pidFile, "utf8").catch(() => "")).trim());
    return Number.isInteger(n) && n > 0 ? n : null;
  }

  /** Signals the command's whole process group inside the container; false if it has not started. */
  async #killInner(c: ExecContainer, pidFile: string, signal: NodeJS.Signals): Promise<boolean> {
    const pgid = await this.#innerPgid(pidFile);
    if (pgid === null) return false;
    if (!(await c.procs.killGroup(pgid, signal))) {
      // not allowed from the host (rootless, say): ask the container to do it
      await execa("docker", ["exec", c.name, "kill", `-${signal.replace(/^SIG/, "")}`, "--", `-${pgid}`], {
        reject: false,
        stdin: "ignore",
      });
    }
    return true;
  }

  async run(spec: CommandSpec): Promise<CommandResult> {
    const c = this.#c;
    const id = `${process.pid}-${String(++counter).padStart(3, "0")}`;
    const logged = spec.log !== false;
    const base = join(this.logDir, `${String(counter).padStart(3, "0")}-${spec.label}`);
    const files = { pid: `${id}.pid`, times: `${id}.times` };
    const out = new LogSink(logged ? `${base}.stdout.log` : null, this.secrets);
    const err = new LogSink(logged ? `${base}.stderr.log` : null, this.secrets);
    for (const name of spec.secretEnv ?? []) if (spec.env?.[name]) this.secrets.add(spec.env[name]);

    const env: Record<string, string> = {
      ...spec.env,
      DRDRILL_PID_FILE: join(this.ctl.exec, files.pid),
      DRDRILL_TIMES_FILE: join(this.ctl.exec, files.times),
    };
    const envFlags = Object.keys(env).flatMap((k) => ["-e", k]);
    const args = [
      "exec",
      ...(spec.input !== undefined ? ["-i"] : []),
      ...envFlags,
      ...(spec.cwd ? ["-w", spec.cwd] : []),
      c.name,
      "sh",
      "-c",
      LAUNCH,
      WRAPPER,
      "drdrill-wrap",
      spec.command,
      ...spec.args,
    ];
    const pidFile = join(this.ctl.host, files.pid);
    const timesFile = join(this.ctl.host, files.times);

    const startedAt = new Date().toISOString();
    const startMs = monoMs();
    const stdin = spec.input !== undefined ? { input: spec.input } : { stdin: "ignore" as const };
    const child = execa("docker", args, {
      env,
      detached: true,
      reject: false,
      ...stdin,
      buffer: false,
      encoding: "utf8",
    });
    const clientPid = child.pid;
    if (clientPid !== undefined) trackGroup(clientPid);
    let done = false;
    pipeOutput(child, { stdout: out, stderr: err }, spec.onOutput);

    // Once the leader inside has written its pid: its host pid (also its group id as the host sees
    // it) goes to onSpawn, so faults can watch or kill the command; and its tree's RSS is sampled.
    const sampler = (async () => {
      while (!done) {
        const pgid = await this.#innerPgid(pidFile);
        const [hostPid] = pgid !== null ? await c.procs.find(pgid, "pid") : [];
        if (hostPid !== undefined) {
          const innerPgid = pgid!;
          spec.onSpawn?.({
            pid: innerPgid,
            hostPid,
            kill: async (signal) => void (await this.#killInner(c, pidFile, signal)),
            readBytes: async () => treeMaxReadBytes(hostPid),
          });
          return startRssSampler(hostPid);
        }
        await sleep(20);
      }
      return null;
    })();

    const timer = spec.timeoutMs
      ? startKillTimer(
          spec.timeoutMs,
          (sig) => void this.#killInner(c, pidFile, sig),
          () => clientPid !== undefined && killGroup(clientPid, "SIGKILL"),
        )
      : undefined;

    const res = await child;
    done = true;
    timer?.clear();
    const timedOut = timer?.fired ?? false;
    const endMs = monoMs();
    // Anything the command left behind in its group (a hung gpg-agent, say) goes too.
    await this.#killInner(c, pidFile, "SIGKILL");
    if (clientPid !== undefined) {
      killGroup(clientPid, "SIGKILL");
      untrackGroup(clientPid);
    }
    const peakRssBytes = (await sampler)?.stop() ?? null;
    const cpuMs = parseBashTimes(await readFile(timesFile, "utf8").catch(() => ""));
    await Promise.all([rm(timesFile, { force: true }), rm(pidFile, { force: true })]);
    const [stdout, stderr] = await Promise.all([out.close(), err.close()]);

    const shown = this.secrets.redact(
      `docker exec ${Object.keys(spec.env ?? {})
        .map((k) => `-e ${k} `)
        .join("")}${shellQuote(c.name)} ${displayCommand(spec.command, spec.args)}`,
    );
    return commandResult({
      spec,
      shown,
      res,
      timedOut,
      startedAt,
      startMs,
      endMs,
      base,
      stdout,
      stderr,
      peakRssBytes,
      cpuMs,
    });
  }
}
