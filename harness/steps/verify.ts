// verify: [files, services, { command, expect?: { exit?, stdout? } }]. What must hold for "recovered":
// the restored files (compared at the restore), the services' health checked once more, and the
// user's own checks: commands run as a `run` step runs them, each passing only with the exit code
// (default 0) and output expected of it; the first that fails ends the run failed, in its own words.
import { z } from "zod";
import type { Problem } from "../rules/context.ts";
import {
  commandFields,
  commandProblems,
  exitProblem,
  named,
  runUserCommand,
  wordsOf,
  type UserCommand,
} from "./run.ts";
import { defineStep, type StepContext } from "./step.ts";

const check = z
  .object({
    ...commandFields,
    expect: z
      .object({
        exit: z.number().int().min(0).max(255).default(0).describe("The exit code that means it passed (default 0)."),
        stdout: z
          .string()
          .superRefine((v, ctx) => {
            try {
              new RegExp(v);
            } catch (e) {
              ctx.addIssue({ code: "custom", message: `not a regular expression: ${(e as Error).message}` });
            }
          })
          .optional()
          .describe("A regular expression its output must match."),
      })
      .strict()
      .default({ exit: 0 }),
  })
  .strict()
  .describe("A check of the user's (sh -c): passes with the expected exit code and output.");

type Check = z.infer<typeof check>;
type What = "files" | "services" | Check;

const isCheck = (w: What): w is Check => typeof w === "object";

/** A check run and judged: why it failed, in its own words, or undefined when it passed. */
async function runCheck(ctx: StepContext, c: Check): Promise<string | undefined> {
  const run = await runUserCommand(ctx, c as UserCommand, "check", c.expect.exit);
  let problem = exitProblem(run, c.expect.exit);
  if (!problem && c.expect.stdout !== undefined && !new RegExp(c.expect.stdout).test(run.stdout))
    problem = `its output does not match /${c.expect.stdout}/`;
  const words = run.timedOut || run.notStarted ? "" : wordsOf(run, "first");
  const said = problem ? `${problem}${words ? `: ${words}` : ""}` : undefined;
  ctx.journal.emit("user-check", {
    command: c.command,
    on: c.on,
    ok: !said,
    exitCode: run.exitCode,
    ms: Math.round(run.durationMs),
    ...(said ? { said } : {}),
  });
  return said ? `check \`${named(c.command)}\` (on ${c.on}) failed: ${said}` : undefined;
}

export default defineStep({
  name: "verify",
  description: "What must hold for 'recovered'.",
  schema: z
    .array(z.union([z.enum(["files", "services"]), check]))
    .min(1)
    .describe("What must hold for 'recovered': files, services, and the user's own checks ({ command })."),
  requiresServices: (what) => what.includes("services"),
  validate(what, ctx) {
    const problems: Problem[] = [];
    what.forEach((w, i) => {
      if (isCheck(w)) problems.push(...commandProblems(w, ctx, `${i}.`));
    });
    return problems;
  },
  async run(what, ctx) {
    const checks = what.filter(isCheck);
    return ctx.phase(
      "verify",
      async () => {
        let facts = {};
        if (what.includes("services") && ctx.state.facts.restoreSucceeded) {
          // After a failover the services run at site B: that is where they are checked.
          const health = await (ctx.armed.promoted ?? ctx.target).health();
          ctx.journal.emit("health", health);
          facts = { healthOk: health.ok, healthDetail: health.detail };
        }
        const healthOk = "healthOk" in facts ? (facts as { healthOk: boolean }).healthOk : ctx.state.facts.healthOk;
        // The user's checks judge what came back (with nothing restored there is nothing to check);
        // each runs and is listed, the first that failed is the run's reason.
        let failure: string | undefined;
        if (ctx.state.facts.restoreSucceeded)
          for (const c of checks) {
            const said = await runCheck(ctx, c);
            failure ??= said;
          }
        const ok = ctx.state.facts.contentOk !== false && healthOk !== false && !failure;
        return { ok, changes: { facts: { ...facts, ...(failure ? { toolFailure: failure } : {}) } } };
      },
      what.map((w) => (isCheck(w) ? "check" : w)).join(","),
    );
  },
});
