// `drdrill run`: its options checked, the scenarios loaded and planned, the machine checked, the run
// folder taken, the runs run. Loaded only when `run` runs (main.ts): a start for --version loads none of it.
import { resolve } from "node:path";
import { DEFAULT_REPORTERS } from "../../reports/registry.ts";
import type { Overrides } from "../scenario/resolve.ts";
import { loadReporters } from "./reporter-option.ts";
import { argIssue, readOverrides, type RunShapeOptions } from "./run-options.ts";
import { runInvocation } from "../runner/invocation.ts";
import { planRuns } from "../runner/plan.ts";
import { silentProgress } from "../model/progress.ts";
import { InputError, type InputIssue } from "../model/errors.ts";
import { loadScenarios } from "../scenario/load.ts";
import { LIMITS } from "../scenario/schema.ts";
import { takeRunFolder } from "./out-dir.ts";
import { preflightRun } from "./preflight.ts";
import { createLineProgress, createTtyProgress } from "./progress.ts";
import { snapshotScenarios, writeEvidenceBundle } from "./evidence.ts";
import { parseShard, previousRuns } from "./shard-option.ts";

export interface RunOptions extends RunShapeOptions {
  out?: string;
  reporter?: string[];
  shard?: string;
  keep?: boolean;
  replace?: boolean;
  evidence?: boolean;
  warmup?: boolean;
  jobs?: string;
  durations?: string;
}

/** The options of `drdrill run` beyond the scenarios' shape (--shard, --jobs), with that shape's. */
function checkRunOptions(o: RunOptions): {
  overrides: Overrides;
  shard?: { index: number; count: number };
  jobs?: number;
} {
  const issues: InputIssue[] = [];
  let shard: { index: number; count: number } | undefined;
  if (o.shard !== undefined) {
    const parsed = parseShard(o.shard);
    if ("message" in parsed) issues.push(parsed);
    else shard = parsed;
  }
  const jobs = o.jobs !== undefined ? Number(o.jobs) : undefined;
  if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1 || jobs > LIMITS.jobsMax))
    issues.push(argIssue("--jobs", `"${o.jobs}" is not a whole number from 1 to ${LIMITS.jobsMax}`));
  const overrides = readOverrides(o, issues);
  return { overrides, ...(jobs !== undefined ? { jobs } : {}), ...(shard ? { shard } : {}) };
}

function progressFor(): ReturnType<typeof createTtyProgress> {
  const mode = process.env.DRDRILL_PROGRESS;
  if (mode === "none") return silentProgress;
  if (mode === "tty" || (mode !== "lines" && process.stderr.isTTY && !process.env.CI)) return createTtyProgress();
  return createLineProgress();
}

export async function runCommand(paths: string[], o: RunOptions, argv: string[]): Promise<number> {
  const checked = checkRunOptions(o);
  const reporters = await loadReporters(o.reporter ?? DEFAULT_REPORTERS);
  // Each scenario is resolved and judged as it will run: with the command line's target, tools, size.
  const scenarios = await loadScenarios(paths.length > 0 ? paths : ["scenarios/seed"], {
    overrides: checked.overrides,
  });
  const previous = await previousRuns(o.durations);
  const plans = planRuns(scenarios, {
    ...(previous ? { previous } : {}),
    ...(checked.shard ? { shard: checked.shard } : {}),
  });
  if (plans.length === 0 && (!checked.shard || planRuns(scenarios).length === 0)) {
    throw new InputError([argIssue("--tool", "no scenario uses the selected tool(s): nothing to run")]);
  }
  // More shards than runs: this one has none; it still writes an empty run folder for the merge.
  if (plans.length === 0)
    process.stderr.write(`drdrill: shard ${checked.shard!.index}/${checked.shard!.count} has no runs\n`);
  // Checks that need this machine come before the run folder is taken: a refused run leaves nothing.
  await preflightRun(plans, scenarios, {
    runFolder: o.out !== undefined ? resolve(o.out) : null,
    sizeFromCli: checked.overrides.sizeBytes !== undefined,
  });
  const { dir: outDir, runId } = await takeRunFolder(o.out, { replace: Boolean(o.replace) });
  if (o.evidence) await snapshotScenarios(outDir, scenarios);
  const results = await runInvocation({
    runId,
    argv,
    scenarios,
    plans,
    outDir,
    keep: Boolean(o.keep),
    warmup: Boolean(o.warmup),
    ...(checked.jobs !== undefined ? { jobs: checked.jobs } : {}),
    reporters,
    progress: progressFor(),
  });
  if (o.evidence)
    process.stdout.write(
      `evidence: ${await writeEvidenceBundle(outDir, { createdBy: `drdrill ${argv.join(" ")}` })}\n`,
    );
  return results.exitCode;
}
