// Helpers shared by the adapters: run one tool command and turn its output into a ToolRun.
import type { CommandExecutor, CommandSpec } from "../exec/types.ts";
import { monoMs } from "../util/clock.ts";
import type { ToolContext, ToolRun } from "./tool.ts";

const ERROR_LINE = /(error|fatal|failed|mismatch|incorrect|wrong|denied|no space|corrupt|missing|bad session key)/i;
const LEAD_IN = /see log below|^Traceback|^={3,}|^Errors 0$/i;

/**
 * The tool's own words for what went wrong: the most specific error line (gpg's reason rather than
 * "see log below", a traceback's final exception), with the next line when it ends in a colon.
 */
export function explicitError(stderr: string, stdout = ""): string | undefined {
  const lines = `${stderr}\n${stdout}`
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const exception = lines.findLast((l) => /^\w+(Error|Exception): /.test(l) && !/^GPGError/.test(l));
  const i = lines.findIndex((l) => ERROR_LINE.test(l) && !LEAD_IN.test(l) && !/^\w+Error: GPG Failed/.test(l));
  let line = i >= 0 ? lines[i]! : exception;
  if (line && i >= 0 && line.endsWith(":") && lines[i + 1]) line = `${line} ${lines[i + 1]}`;
  if (!line && lines.some((l) => /^Traceback/.test(l))) line = lines.at(-1);
  return line?.slice(0, 500);
}

/** The first line that reads like an error, else the last non-empty line of stderr. */
export function errorMessage(stderr: string, stdout = ""): string | undefined {
  return (
    explicitError(stderr, stdout) ??
    stderr
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean)
      .at(-1)
      ?.slice(0, 500)
  );
}

export async function runTool(
  ctx: Pick<ToolContext, "exec" | "timeoutMs">,
  spec: Omit<CommandSpec, "timeoutMs">,
  parse?: (stdout: string, stderr: string) => Record<string, number> | undefined,
): Promise<ToolRun> {
  const res = await ctx.exec.run({ ...spec, ...(ctx.timeoutMs !== undefined ? { timeoutMs: ctx.timeoutMs } : {}) });
  const stats = parse?.(res.stdout, res.stderr);
  const said = res.timedOut ? explicitError(res.stderr, res.stdout) : undefined;
  // The timeout itself: the group had SIGTERM a little before it, SIGKILL at it.
  const bound = Math.round((ctx.timeoutMs ?? res.durationMs) / 1000);
  const message = res.notStarted
    ? (res.message ?? "the command could not be started")
    : res.timedOut
      ? `${said ? `${said} (then hung: ` : "("}timed out after ${bound} s; process group killed)`
      : res.failed
        ? (errorMessage(res.stderr, res.stdout) ?? `exit code ${res.exitCode}`)
        : undefined;
  return {
    ...res,
    ...(stats ? { stats } : {}),
    ...(message ? { message } : {}),
    ...(said ? { reportedError: said } : {}),
  };
}

/**
 * A call that could not run (no backup to restore at the asked time, an incremental the repository
 * cannot take): a failed ToolRun with the reason, shaped like any other, so the runner decides.
 */
export function notRun(label: string, message: string): ToolRun {
  const now = monoMs();
  return {
    label,
    command: `(${label}: not run)`,
    exitCode: null,
    signal: null,
    failed: true,
    timedOut: false,
    interrupted: false,
    notStarted: true,
    message,
    startedAt: new Date().toISOString(),
    startMs: now,
    endMs: now,
    durationMs: 0,
    stdoutPath: "",
    stderrPath: "",
    stdout: "",
    stderr: "",
    peakRssBytes: null,
    cpuMs: null,
  };
}

/** A tool's version: the first match of `pattern` in what `command args` prints, else its first line. */
export async function probeVersion(
  exec: CommandExecutor,
  command: string,
  args: string[],
  pattern: RegExp,
): Promise<string> {
  const r = await exec.run({ label: `${command}-version`, command, args });
  return pattern.exec(r.stdout)?.[1] ?? (r.stdout.split("\n")[0]?.trim() || "unknown");
}
