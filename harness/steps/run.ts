// run: { command, on?, timeout?, secrets?, expect?: { exit } }. A command of the user's runbook, run
// with `sh -c` where the target's files are (or at site B, or on this machine) the way the command
// tool runs its commands: scripts named by a relative path copied there first, inputs in DRDRILL_*
// variables, secrets only in the environment. Timed in its own phase; a fix-up between the restore
// and the verification is inside RTO (metrics/rto.ts). An exit code other than the expected one
// ends the drill there, `failed`, with the command's own words. User checks (`verify`) run here too.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import type { CommandExecutor } from "../exec/types.ts";
import { EnvironmentError } from "../model/errors.ts";
import type { Problem } from "../rules/context.ts";
import { missingScripts, scriptPlacer, secretRefs, secretValues, type PutFile } from "../tools/command.ts";
import { runTool } from "../tools/run-tool.ts";
import type { ToolRun } from "../tools/tool.ts";
import { parseDuration } from "../util/units.ts";
import { durationText } from "../util/zod-units.ts";
import { defineStep, type StepContext, type StepRuleContext } from "./step.ts";

export const PLACES = ["target", "site", "local"] as const;
export type Place = (typeof PLACES)[number];

const exitCode = z.number().int().min(0).max(255);

/** The fields a user's command has wherever a scenario gives one (a `run` step, a check of `verify`). */
export const commandFields = {
  command: z
    .string()
    .min(1)
    .describe("A shell command (sh -c); scripts it names by a relative path are read from the scenario's folder."),
  on: z
    .enum(PLACES)
    .default("target")
    .describe("Where it runs: target (where the target's files are), site (site B), local (this machine)."),
  timeout: durationText({ minMs: 1000 }).optional().describe("The longest it may take (default: the run's timeout)."),
  secrets: secretRefs,
};

const schema = z
  .object({
    ...commandFields,
    expect: z
      .object({ exit: exitCode.default(0).describe("The exit code that means it worked (default 0).") })
      .strict()
      .default({ exit: 0 }),
  })
  .strict()
  .describe("A command of the user's runbook (sh -c), timed in its own phase; a fix-up after the restore is in RTO.");

export type RunParams = z.infer<typeof schema>;
/** What every user command has, whatever else its entry says. */
export type UserCommand = Pick<RunParams, "command" | "on" | "timeout" | "secrets">;

/** Its rules: each script it names exists in the scenario's folder; `on: site` needs a site. */
export function commandProblems(c: UserCommand, ctx: StepRuleContext, at = ""): Problem[] {
  const problems: Problem[] = missingScripts(c.command, ctx.dir).map((message) => ({
    field: `${at}command`,
    message,
  }));
  if (c.on === "site" && !ctx.site)
    problems.push({ field: `${at}on`, message: "on: site needs a secondary site (site B): set destination: site" });
  return problems;
}

/** Where a command runs: the executor there, a folder of its own, how a file gets there, the inputs it is given. */
interface Where {
  exec: CommandExecutor;
  dir: string;
  putFile: PutFile;
  inputs: Record<string, string>;
}

async function whereFor(on: Place, ctx: StepContext): Promise<Where> {
  const { target, site } = ctx;
  const repo = site ? site.repoPath : target.paths.repo;
  if (on === "target")
    return {
      exec: target.exec,
      dir: target.paths.tool,
      putFile: (name, content, mode) => target.putToolFile(name, content, mode),
      inputs: { DRDRILL_SOURCE: target.paths.data, DRDRILL_REPO: repo, DRDRILL_WORK: target.paths.tool },
    };
  if (on === "site") {
    if (!site) throw new EnvironmentError("a run step on: site, but the run has no site B");
    const { admin } = site;
    const dir = `${admin.runDir}/tool`;
    return {
      exec: admin.exec,
      dir,
      putFile: async (name, content, mode) => {
        await admin.conn.put(`${dir}/${name}`, content, mode, { sudo: admin.conn.elevated });
        return `${dir}/${name}`;
      },
      inputs: { DRDRILL_REPO: site.repoPath, DRDRILL_WORK: dir },
    };
  }
  const dir = ctx.local.dir;
  await mkdir(dir, { recursive: true });
  // The target's folders are paths of this machine only when the target is this machine.
  const here = target.exec.where === "local";
  return {
    exec: ctx.local.exec,
    dir,
    putFile: async (name, content, mode) => {
      await writeFile(join(dir, name), content, { mode });
      return join(dir, name);
    },
    inputs: {
      ...(here ? { DRDRILL_SOURCE: target.paths.data, ...(site ? {} : { DRDRILL_REPO: repo }) } : {}),
      DRDRILL_WORK: dir,
    },
  };
}

/**
 * Runs a user's command where it asks, recorded as a tool call (its output in the run's logs, redacted);
 * the exit code expected of it is no failure of the call.
 */
export async function runUserCommand(ctx: StepContext, c: UserCommand, label: string, exit = 0): Promise<ToolRun> {
  const where = await whereFor(c.on, ctx);
  const timeoutMs = c.timeout ? parseDuration(c.timeout) : ctx.plan.timeoutMs;
  const secrets = secretValues(c.secrets);
  const script = await scriptPlacer(ctx.plan.scenarioDir, where.putFile)(c.command);
  return ctx.toolCall("other", async () => {
    const run = await runTool(
      { exec: where.exec, ...(timeoutMs !== undefined ? { timeoutMs } : {}) },
      {
        label,
        command: "sh",
        args: ["-c", script],
        cwd: where.dir,
        env: { ...where.inputs, ...secrets },
        secretEnv: Object.keys(secrets),
      },
    );
    if (run.exitCode !== exit || run.timedOut) return run;
    const { message: _, ...expected } = run;
    return { ...expected, failed: false };
  });
}

/** Non-empty lines of what a command printed: its standard error, else its output. */
function said(run: ToolRun): string[] {
  const lines = (t: string) =>
    t
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean);
  const err = lines(run.stderr);
  return err.length > 0 ? err : lines(run.stdout);
}

/** `words` lines of what it printed, joined for a reason. */
export function wordsOf(run: ToolRun, which: "first" | "last", words = 3): string {
  const all = said(run);
  const some = which === "first" ? all.slice(0, words) : all.slice(-words);
  return some.join(" / ").slice(0, 400);
}

/** Why a finished command did not do what was expected of its exit code, or undefined when it did. */
export function exitProblem(run: ToolRun, exit: number): string | undefined {
  if (run.notStarted || run.timedOut) return run.message ?? "it could not run";
  if (run.exitCode === exit) return undefined;
  const got = run.exitCode !== null ? `exit ${run.exitCode}` : `killed by ${run.signal ?? "a signal"}`;
  return `${got} (expected ${exit})`;
}

/** How a reason names a command: its first line, shortened. */
export function named(command: string): string {
  const first = command.trim().split("\n")[0]!;
  return first.length > 80 ? `${first.slice(0, 77)}...` : first;
}

/** Thrown inside the phase so that it ends not ok; caught by the step. */
class RunFailed extends Error {}

export default defineStep({
  name: "run",
  description: "A command of the user's runbook (sh -c), timed in its own phase; a fix-up after the restore is in RTO.",
  schema,
  validate: (p, ctx) => commandProblems(p, ctx),
  estimateMs: () => 5_000,
  async run(p, ctx) {
    let failure: string | undefined;
    await ctx
      .phase(
        "run",
        async () => {
          const run = await runUserCommand(ctx, p, "run", p.expect.exit);
          const problem = exitProblem(run, p.expect.exit);
          if (!problem) return;
          const words = run.timedOut || run.notStarted ? "" : wordsOf(run, "last");
          failure = `run step \`${named(p.command)}\` (on ${p.on}) failed: ${problem}${words ? `: ${words}` : ""}`;
          throw new RunFailed(failure);
        },
        `${p.on}: ${named(p.command)}`,
      )
      .catch((e: unknown) => {
        if (!(e instanceof RunFailed)) throw e;
      });
    // A runbook stops at a step that failed: nothing after it would be the procedure as written.
    if (failure) return { ok: false, stop: true, changes: { facts: { toolFailure: failure } } };
    return { ok: true, changes: {} };
  },
});
