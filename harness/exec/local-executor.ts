// Runs a command on this host in its own process group, with a timeout that kills the whole group,
// logs to files, and CPU time (bash `times`) and peak RSS (sampled) of the process tree.
import { execa } from "execa";
import { readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monoMs } from "../util/clock.ts";
import { addLease, dropLease } from "../util/leases.ts";
import type { SecretStore } from "../util/secrets.ts";
import { killGroup, trackGroup, untrackGroup } from "./live-groups.ts";
import { commandResult } from "./command-result.ts";
import { startKillTimer } from "./kill-timer.ts";
import { LogSink, pipeOutput } from "./log-sink.ts";
import { startRssSampler, treeMaxReadBytes } from "./process-tree.ts";
import { displayCommand } from "./quote.ts";
import type { CommandExecutor, CommandResult, CommandSpec, ProcessHandle } from "./types.ts";

// The wrapper runs the tool as a child (not exec) so it can report the tree's CPU time afterwards, and the
// bytes its tree read: a reaped child's I/O counts are added to its parent's, so the wrapper's own
// /proc/PID/io (rchar) holds every waited-for process of the call once the tool ended.
const WRAPPER =
  `"$@"; rc=$?; times > "$DRDRILL_TIMES_FILE"; ` + `grep '^rchar:' /proc/$$/io >> "$DRDRILL_TIMES_FILE"; exit $rc`;
/** The environment entry that marks every process of one call (see leaseRun). */
const CALL_ENV = "DRDRILL_CALL";

let counter = 0;

/** Parses bash `times` output: second line holds the children's user and system time. */
export function parseBashTimes(text: string): number | null {
  const line = text.trim().split("\n")[1];
  if (!line) return null;
  const parts = [...line.matchAll(/(\d+)m([\d.]+)s/g)];
  if (parts.length < 2) return null;
  return Math.round(parts.reduce((sum, p) => sum + (Number(p[1]) * 60 + Number(p[2])) * 1000, 0));
}

/** The bytes the call's process tree read (the wrapper's rchar line after `times`), or null when absent. */
export function parseWrapperReadBytes(text: string): number | null {
  const m = /^rchar:\s+(\d+)/m.exec(text);
  return m ? Number(m[1]) : null;
}

/** A process group of this host. */
export function localGroup(pid: number): ProcessHandle {
  return {
    pid,
    hostPid: pid,
    kill: async (signal) => void killGroup(pid, signal),
    readBytes: async () => treeMaxReadBytes(pid),
  };
}

export interface LocalExecutorOptions {
  /** Lease each call's process group under this run while it runs (a drdrill killed hard leaves none). */
  leaseRun?: string;
}

export class LocalExecutor implements CommandExecutor {
  readonly where = "local";

  constructor(
    private readonly logDir: string,
    private readonly secrets: SecretStore,
    private readonly opts: LocalExecutorOptions = {},
  ) {}

  async run(spec: CommandSpec): Promise<CommandResult> {
    const id = String(++counter).padStart(3, "0");
    const logged = spec.log !== false;
    const base = logged ? join(this.logDir, `${id}-${spec.label}`) : join(tmpdir(), `drdrill-${process.pid}-${id}`);
    const timesFile = `${base}.times`;
    const out = new LogSink(logged ? `${base}.stdout.log` : null, this.secrets);
    const err = new LogSink(logged ? `${base}.stderr.log` : null, this.secrets);
    for (const name of spec.secretEnv ?? []) if (spec.env?.[name]) this.secrets.add(spec.env[name]);

    const startedAt = new Date().toISOString();
    const startMs = monoMs();
    // The harness's own helper calls (no logs) run directly: no wrapper shell, no CPU accounting.
    const [cmd, args] = logged
      ? ["bash", ["-c", WRAPPER, "drdrill-wrap", spec.command, ...spec.args]]
      : [spec.command, spec.args];
    // Every process of the call inherits this entry: a lease of its group is told from a reused pid by it.
    const callTag = `${CALL_ENV}=${process.pid}-${id}-${Date.now()}`;
    const child = execa(cmd, args, {
      cwd: spec.cwd,
      env: {
        ...spec.env,
        ...(logged ? { DRDRILL_TIMES_FILE: timesFile } : {}),
        ...(this.opts.leaseRun ? { [CALL_ENV]: callTag.slice(CALL_ENV.length + 1) } : {}),
      },
      detached: true,
      reject: false,
      ...(spec.input !== undefined ? { input: spec.input } : { stdin: "ignore" as const }),
      buffer: false,
      encoding: "utf8",
    });
    const pid = child.pid;
    const lease = pid !== undefined && this.opts.leaseRun ? { run: this.opts.leaseRun, id: String(pid) } : null;
    if (pid !== undefined) {
      trackGroup(pid);
      spec.onSpawn?.(localGroup(pid));
    }
    const sampler = pid !== undefined && logged ? startRssSampler(pid) : undefined;

    pipeOutput(child, { stdout: out, stderr: err }, spec.onOutput);

    const timer =
      spec.timeoutMs && pid !== undefined ? startKillTimer(spec.timeoutMs, (sig) => killGroup(pid, sig)) : undefined;

    // Only once its output is taken and its timer set (a wait before would lose what it printed meanwhile).
    if (lease)
      await addLease(lease.run, {
        kind: "process-group",
        id: lease.id,
        match: callTag,
        what: `tool call ${spec.label}`,
      }).catch(() => {});

    const res = await child;
    timer?.clear();
    const timedOut = timer?.fired ?? false;
    const endMs = monoMs();
    // Anything the tool left behind in its group (a hung gpg, say) goes too.
    if (pid !== undefined) {
      killGroup(pid, "SIGKILL");
      untrackGroup(pid);
    }
    if (lease) await dropLease(lease.run, { kind: "process-group", id: lease.id }).catch(() => {});
    const peakRssBytes = sampler ? sampler.stop() : null;
    const timesText = await readFile(timesFile, "utf8").catch(() => "");
    const cpuMs = parseBashTimes(timesText);
    const readBytes = parseWrapperReadBytes(timesText);
    await rm(timesFile, { force: true });
    const [stdout, stderr] = await Promise.all([out.close(), err.close()]);

    const shown = this.secrets.redact(displayCommand(spec.command, spec.args, spec.secretEnv));
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
      ...(readBytes !== null ? { readBytes } : {}),
    });
  }
}
