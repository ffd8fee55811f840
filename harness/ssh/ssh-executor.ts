// Runs a command on a host over SSH, the way LocalExecutor runs one here: in its own process group
// (setsid) under a small remote wrapper that records CPU time (bash `times`) and a sampled peak RSS,
// a timeout that kills the whole remote group, redacted logs. Every call rides on the connection's
// one master. The environment (secrets included) travels on the wrapper's standard input, never on a
// command line, local or remote.
import { execa } from "execa";
import { join } from "node:path";
import { encodeEnvHeader } from "./env-header.ts";
import type { SshConnection } from "./connection.ts";
import { NO_MASTER_MARK } from "./connection.ts";
import { END_MARK, launchArgv, WRAPPER_SCRIPT } from "./remote-wrapper.ts";
import { wrapperMarks } from "./wrapper-marks.ts";
import { monoMs } from "../util/clock.ts";
import type { SecretStore } from "../util/secrets.ts";
import { commandResult } from "../exec/command-result.ts";
import { startKillTimer } from "../exec/kill-timer.ts";
import { killGroup, trackGroup, trackKiller, untrackGroup } from "../exec/live-groups.ts";
import { parseBashTimes } from "../exec/local-executor.ts";
import { LogSink, pipeOutput } from "../exec/log-sink.ts";
import { displayCommand, shellQuote } from "../exec/quote.ts";
import type { CommandExecutor, CommandResult, CommandSpec, ProcessHandle } from "../exec/types.ts";

/** Bound on the wrapper's own small calls (signal, rchar, finish) so a dead host cannot stall a run. */
const HELPER_TIMEOUT_MS = 15_000;

let counter = 0;

interface Remote {
  ctl: string;
  wrapper: string;
}

/** The wrapper's `finish` output: `--t0`, `--t1`, `--rss` sections. */
function parseFinish(text: string): { cpuMs: number | null; peakRssBytes: number | null } {
  const part = (name: string) => new RegExp(`^--${name}\\n([^]*?)(?=^--|(?![^]))`, "m").exec(text)?.[1] ?? "";
  const t0 = parseBashTimes(part("t0"));
  const t1 = parseBashTimes(part("t1"));
  const rss = Number(part("rss").trim());
  return { cpuMs: t1 !== null ? t1 - (t0 ?? 0) : null, peakRssBytes: Number.isFinite(rss) && rss > 0 ? rss : null };
}

export class SshExecutor implements CommandExecutor {
  #remote: Promise<Remote> | null = null;

  constructor(
    private readonly conn: SshConnection,
    private readonly logDir: string,
    private readonly secrets: SecretStore,
  ) {}

  get where(): string {
    return this.conn.where;
  }

  /** A private control folder on the host (0700, as the user commands run as) holding the wrapper. */
  #setup(): Promise<Remote> {
    this.#remote ??= (async () => {
      const script = 'umask 077 && d=$(mktemp -d /tmp/drdrill-ctl.XXXXXX) && cat > "$d/wrapper" && echo "$d"';
      const r = await this.conn.run("sh", ["-c", script], { input: WRAPPER_SCRIPT, timeoutMs: HELPER_TIMEOUT_MS });
      const ctl = r.stdout.trim();
      if (r.exitCode !== 0 || !ctl.startsWith("/"))
        throw new Error(`cannot make a control folder on the host: ${r.stderr.trim() || `exit ${r.exitCode}`}`);
      return { ctl, wrapper: `${ctl}/wrapper` };
    })();
    this.#remote.catch(() => (this.#remote = null));
    return this.#remote;
  }

  async #wrapper(args: string[]): Promise<string> {
    const { wrapper } = await this.#setup();
    const r = await this.conn.run("bash", [wrapper, ...args], { timeoutMs: HELPER_TIMEOUT_MS });
    return r.stdout;
  }

  /** Signals the remote group; never throws (the host may be gone). */
  async #signal(pgid: number, signal: NodeJS.Signals): Promise<void> {
    await this.#wrapper(["signal", signal.replace(/^SIG/, ""), String(pgid)]).catch(() => {});
  }

  #handle(pgid: number): ProcessHandle {
    return {
      pid: pgid,
      kill: (signal) => this.#signal(pgid, signal),
      readBytes: async () => Number((await this.#wrapper(["rchar", String(pgid)]).catch(() => "0")).trim()) || 0,
    };
  }

  /** The command line as a person would type it (values of secret variables shown as ***). */
  #shown(spec: CommandSpec): string {
    const secret = new Set(spec.secretEnv ?? []);
    const plain = Object.entries(spec.env ?? {})
      .filter(([k]) => !secret.has(k))
      .map(([k, v]) => `${k}=${shellQuote(v)}`);
    const inner = [
      ...(spec.cwd ? [`cd ${shellQuote(spec.cwd)} &&`] : []),
      ...(this.conn.elevated ? ["sudo -n"] : []),
      ...plain,
      displayCommand(
        spec.command,
        spec.args,
        [...secret].filter((k) => spec.env?.[k] !== undefined),
      ),
    ].join(" ");
    return this.secrets.redact(`ssh -p ${this.conn.port} ${this.conn.user}@${this.conn.hostname} ${shellQuote(inner)}`);
  }

  async run(spec: CommandSpec): Promise<CommandResult> {
    const n = String(++counter).padStart(3, "0");
    const id = `${process.pid}-${n}`;
    const logged = spec.log !== false;
    const base = join(this.logDir, `${n}-${spec.label}`);
    const out = new LogSink(logged ? `${base}.stdout.log` : null, this.secrets);
    const err = new LogSink(logged ? `${base}.stderr.log` : null, this.secrets);
    for (const name of spec.secretEnv ?? []) if (spec.env?.[name]) this.secrets.add(spec.env[name]);
    const shown = this.#shown(spec);
    const startedAt = new Date().toISOString();
    const startMs = monoMs();

    const notStarted = async (why: string, endMs = monoMs()): Promise<CommandResult> => {
      const message = this.secrets.redact(`${this.where}: ${spec.label} did not start: ${why}`);
      err.write(`drdrill: ${message}\n`);
      const [stdout, stderr] = await Promise.all([out.close(), err.close()]);
      const r = commandResult({
        spec,
        shown,
        res: {},
        timedOut: false,
        startedAt,
        startMs,
        endMs,
        base,
        stdout,
        stderr,
        peakRssBytes: null,
        cpuMs: null,
      });
      return { ...r, failed: true, notStarted: true, message };
    };

    let remote: Remote;
    let header: string;
    try {
      if (this.conn.closed) throw new Error("the connection is closed");
      header = encodeEnvHeader(spec.env);
      remote = await this.#setup();
    } catch (e) {
      return notStarted((e as Error).message.replace(`${this.where}: `, ""));
    }

    const [launch, ...launchArgs] = launchArgv(remote.wrapper, remote.ctl, id, spec.cwd, spec.command, spec.args);
    const child = execa("ssh", [...this.conn.clientArgs(), this.conn.commandLine(launch!, launchArgs)], {
      detached: true,
      reject: false,
      input: header + (spec.input ?? ""),
      buffer: false,
      encoding: "utf8",
    });
    const clientPid = child.pid;
    if (clientPid !== undefined) trackGroup(clientPid);

    let pgid: number | null = null;
    let masterGone = false;
    let early = "";
    let untrackKiller = () => {};
    const marks = wrapperMarks((g) => {
      pgid = g;
      untrackKiller = trackKiller((signal) => this.#signal(g, signal));
      spec.onSpawn?.(this.#handle(g));
    });
    // The marks are ASCII: they are found in the bytes read as latin1 (one character a byte), and the
    // command's own bytes go on untouched, to be redacted before they are decoded.
    const stderrIn = {
      on: (_event: "data", fn: (d: Buffer) => void) => {
        child.stderr?.on("data", (d: Buffer | string) => {
          const text = marks.push(typeof d === "string" ? Buffer.from(d).toString("latin1") : d.toString("latin1"));
          if (text.includes(NO_MASTER_MARK)) masterGone = true;
          if (pgid === null) early = (early + text).slice(-4096);
          if (text) fn(Buffer.from(text, "latin1"));
        });
      },
    };
    pipeOutput({ stdout: child.stdout, stderr: stderrIn }, { stdout: out, stderr: err }, spec.onOutput);

    const killClient = () => clientPid !== undefined && killGroup(clientPid, "SIGKILL");
    // Not started yet (no group to signal): the client goes, which ends the call.
    const timer = spec.timeoutMs
      ? startKillTimer(
          spec.timeoutMs,
          (sig) => (pgid === null ? void killClient() : void this.#signal(pgid, sig)),
          killClient,
        )
      : undefined;

    const res = await child;
    timer?.clear();
    const timedOut = timer?.fired ?? false;
    const endMs = monoMs();
    const { rest, stats } = marks.end();
    if (rest) err.write(Buffer.from(rest, "latin1"));
    // The wrapper's `finish` ran after the command: it killed anything left in the group (a hung
    // gpg-agent, say) and sent the stats. If they did not come (our ssh client was killed, say), do it now.
    let finished = stats;
    if (finished === null && pgid !== null) {
      const text = await this.#wrapper(["finish", remote.ctl, id, String(pgid)]).catch(() => "");
      finished = text.includes(END_MARK) ? text.slice(text.indexOf(END_MARK) + END_MARK.length) : "";
    }
    untrackKiller();
    if (clientPid !== undefined) {
      killGroup(clientPid, "SIGKILL");
      untrackGroup(clientPid);
    }
    if (pgid === null && !timedOut) {
      const said = Buffer.from(early, "latin1").toString().trim().split("\n").at(-1)?.trim();
      return notStarted(
        masterGone
          ? "the connection is gone (its master process ended)"
          : `ssh ended with ${res.exitCode ?? res.signal} before the command started${said ? ` (${said})` : ""}`,
        endMs,
      );
    }
    const { cpuMs, peakRssBytes } = parseFinish(finished ?? "");
    const [stdout, stderr] = await Promise.all([out.close(), err.close()]);
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

  /** Removes the control folder on the host (call once no command runs any more). */
  async close(): Promise<void> {
    const remote = await this.#remote?.catch(() => null);
    this.#remote = null;
    if (remote && !this.conn.closed)
      await this.conn.run("rm", ["-rf", "--", remote.ctl], { timeoutMs: HELPER_TIMEOUT_MS }).catch(() => {});
  }
}
