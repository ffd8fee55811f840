// Helpers shared by the adapters: run one tool command and turn its output into a ToolRun.
import type { CommandSpec } from "../exec/types.ts";
import type { ToolContext, ToolRun } from "./tool.ts";

/** The first line that reads like an error, else the last non-empty line of stderr. */
export function errorMessage(stderr: string, stdout = ""): string | undefined {
  const lines = `${stderr}\n${stdout}`.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const hit = lines.find((l) => /(error|fatal|failed|mismatch|incorrect|wrong|denied|traceback|no space)/i.test(l) && !/^Errors 0$/.test(l));
  return (hit ?? stderr.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).at(-1))?.slice(0, 500);
}

export async function runTool(
  ctx: ToolContext,
  spec: Omit<CommandSpec, "timeoutMs">,
  parse?: (stdout: string, stderr: string) => Record<string, number> | undefined,
): Promise<ToolRun> {
  const res = await ctx.exec.run({ ...spec, timeoutMs: ctx.timeoutMs });
  const stats = parse?.(res.stdout, res.stderr);
  const message = res.timedOut
    ? `timed out after ${Math.round(res.durationMs / 1000)} s; process group killed`
    : res.failed
      ? errorMessage(res.stderr, res.stdout) ?? `exit code ${res.exitCode}`
      : undefined;
  return { ...res, ...(stats ? { stats } : {}), ...(message ? { message } : {}) };
}
