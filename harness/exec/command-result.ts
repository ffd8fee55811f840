// The CommandResult of a finished command, the same whichever executor ran it (host or container).
import type { CommandResult, CommandSpec } from "./types.ts";

export interface FinishedCommand {
  spec: CommandSpec;
  /** The command line to show, already redacted. */
  shown: string;
  res: {
    exitCode?: number | undefined;
    signal?: string | undefined;
    isCanceled?: boolean;
    code?: string | undefined;
    shortMessage?: string | undefined;
  };
  timedOut: boolean;
  startedAt: string;
  startMs: number;
  endMs: number;
  /** Log path prefix: `${base}.stdout.log`, `${base}.stderr.log`. */
  base: string;
  stdout: string;
  stderr: string;
  peakRssBytes: number | null;
  cpuMs: number | null;
  /** Bytes the call's process tree read (rchar, page cache included), where the executor can say. */
  readBytes?: number;
}

export function commandResult(f: FinishedCommand): CommandResult {
  // A command killed at the timeout has no exit code of its own; a shell reports signal N as 128 + N.
  const exitCode = f.timedOut ? null : typeof f.res.exitCode === "number" ? f.res.exitCode : null;
  let signal: string | null = f.res.signal ?? null;
  const raw = f.res.exitCode;
  if (signal === null && typeof raw === "number" && raw > 128 && raw < 160) signal = `signal ${raw - 128}`;
  // No exit code, no signal, no timeout: the program never started (it is not installed, say).
  const notStarted = !f.timedOut && raw === undefined && signal === null && !f.res.isCanceled;
  return {
    label: f.spec.label,
    ...(notStarted
      ? {
          notStarted: true,
          message:
            f.res.shortMessage ?? `${f.spec.command} could not be started${f.res.code ? ` (${f.res.code})` : ""}`,
        }
      : {}),
    command: f.shown,
    exitCode,
    signal,
    failed: f.timedOut || exitCode !== 0,
    timedOut: f.timedOut,
    interrupted: Boolean(f.res.isCanceled) || signal === "SIGINT",
    startedAt: f.startedAt,
    startMs: f.startMs,
    endMs: f.endMs,
    durationMs: f.endMs - f.startMs,
    stdoutPath: `${f.base}.stdout.log`,
    stderrPath: `${f.base}.stderr.log`,
    stdout: f.stdout,
    stderr: f.stderr,
    peakRssBytes: f.peakRssBytes,
    cpuMs: f.cpuMs,
    ...(f.readBytes !== undefined ? { readBytes: f.readBytes } : {}),
  };
}
