// One `drdrill run`: every planned drill in order, the journal, Ctrl-C handling, objectives,
// results.json and the reports, and the exit code.
import { readFileSync } from "node:fs";
import { arch, cpus, release, totalmem } from "node:os";
import { join } from "node:path";
import { killAllGroups } from "../exec/live-groups.ts";
import { Journal } from "../journal/journal.ts";
import { InterruptedError } from "../model/errors.ts";
import type { Progress } from "../model/progress.ts";
import type { RunResult } from "../model/result.ts";
import type { Environment, ResultsFile, WarmupRun } from "../model/results-file.ts";
import { expectationMet } from "../model/verdict.ts";
import type { LoadedScenario } from "../scenario/load.ts";
import { parseSize } from "../util/units.ts";
import { cpuModel, fileSystemOf, loadAverage } from "../util/machine.ts";
import { SecretStore } from "../util/secrets.ts";
import { packageVersion } from "../util/package-root.ts";
import type { RunPlan } from "./plan.ts";
import { datasetKey, PristineDatasets } from "./pristine.ts";
import { removeTree, settleRemovals } from "./remove-tree.ts";
import { ReporterMux, type Reporter } from "./reporter-mux.ts";
import { runDrill, type DrillEnv } from "./run-drill.ts";
import { runPool } from "./job-pool.ts";
import { assembleResults, newRunId, scenarioRecord } from "./results-file.ts";
import { sweepLeftovers } from "./sweep-leftovers.ts";
import { sourceSecrets } from "./source-points.ts";

export interface InvocationOptions {
  /** The run's id (the one its folder's mark holds); a new one when absent. */
  runId?: string;
  argv: string[];
  scenarios: LoadedScenario[];
  /** The runs, each resolved once (target, tool, size, timeout) when its scenario was loaded. */
  plans: RunPlan[];
  /** The run folder: made (empty, exclusively) by the caller. */
  outDir: string;
  keep?: boolean;
  reporters: Reporter[];
  progress: Progress;
  /** --warmup: one uncounted run of each tool + settings first (a scenario's `warmup: true` does the same). */
  warmup?: boolean;
  /** Defaults to the process's SIGINT/SIGTERM. */
  signal?: AbortSignal;
  /** The secrets of the run (a caller that checked them already hands them on). */
  secrets?: SecretStore;
  /** --jobs: at most this many runs at once, where their targets allow it (default 1). */
  jobs?: number;
}

/** Warm-up runs get indexes from here (plan index added), so their logs and journal never mix with counted runs. */
export const WARMUP_INDEX_BASE = 100_000;

/** The exit-code table (model/exit-codes.ts), where the command line has always found it. */
export { EXIT } from "../model/exit-codes.ts";

/** Each scenario's `project: { size }` in bytes, by name. */
function projectSizes(scenarios: LoadedScenario[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of scenarios) {
    const size = s.scenario.project ? parseSize(s.scenario.project.size) : undefined;
    if (size) out[s.scenario.name] = size;
  }
  return out;
}

function osName(): string {
  try {
    return /PRETTY_NAME="([^"]+)"/.exec(readFileSync("/etc/os-release", "utf8"))?.[1] ?? "linux";
  } catch {
    return process.platform;
  }
}

/** Turns SIGINT/SIGTERM into an abort: running tool process groups are killed, cleanup then runs. */
function interruptSignal(): { signal: AbortSignal; dispose(): void } {
  const ac = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    if (ac.signal.aborted) return;
    ac.abort(sig);
    void killAllGroups(500);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    signal: ac.signal,
    dispose() {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}

function warningsOf(journal: Journal): { warnings?: string[] } {
  const w = [
    ...new Set(
      journal
        .events()
        .filter((e) => e.type === "warning")
        .map((e) => (e as { text: string }).text),
    ),
  ];
  return w.length > 0 ? { warnings: w } : {};
}

/** Datasets more than one local run of this invocation seeds: worth one pristine copy (and its hashes) each. */
function sharedDatasets(plans: RunPlan[]): Set<string> {
  const count = new Map<string, number>();
  for (const p of plans) {
    const s = p.loaded.scenario;
    if (!p.target.def.dataOnThisMachine) continue;
    const key = datasetKey(s.dataset, p.sizeBytes);
    count.set(key, (count.get(key) ?? 0) + 1 + (p.loaded.scenario.warmup ? 1 : 0));
  }
  return new Set([...count].filter(([, n]) => n > 1).map(([k]) => k));
}

export async function runInvocation(opts: InvocationOptions): Promise<ResultsFile> {
  try {
    return await invocation(opts);
  } finally {
    // The runs' trees, held until the reports were written, go now: on every way out.
    await settleRemovals();
  }
}

async function invocation(opts: InvocationOptions): Promise<ResultsFile> {
  const secrets = opts.secrets ?? new SecretStore();
  // A password in a restore test's repository URL is redacted from the first line written.
  for (const plan of opts.plans) for (const s of sourceSecrets(plan)) secrets.add(s);
  const journal = new Journal(join(opts.outDir, "journal.jsonl"), secrets, { exclusive: true });
  const runId = opts.runId ?? newRunId();
  const startedAt = new Date().toISOString();
  // Ctrl-C is ours until the reports are written: an interrupt then still ends with every report.
  const interrupt = opts.signal ? null : interruptSignal();
  const signal = opts.signal ?? interrupt!.signal;
  const workRoot = join(opts.outDir, "work");
  const versions: Record<string, string> = {};
  const mux = new ReporterMux(opts.reporters);
  const results: RunResult[] = [];
  const warmups: WarmupRun[] = [];
  let interrupted = false;
  journal.emit("invocation-start", { runId, argv: opts.argv });
  // What a drdrill killed hard left behind (a load writer, a tmpfs, a container) goes first.
  const swept = await sweepLeftovers();
  if (swept.removed.length > 0) journal.emit("leftovers-removed", { items: swept.removed });
  for (const text of swept.ignored) journal.emit("warning", { text });
  const pristine = new PristineDatasets(join(workRoot, "pristine"), sharedDatasets(opts.plans));
  const wantsWarmup = (plan: RunPlan) => Boolean(opts.warmup || plan.loaded.scenario.warmup);
  const warmupOf = new Map<string, Promise<void>>();
  const jobs = Math.max(1, opts.jobs ?? 1);
  const runOne = async (plan: RunPlan) => {
    // Runs going at once each get a display of their own on the shared screen.
    const progress = jobs > 1 && opts.progress.forRun ? opts.progress.forRun() : opts.progress;
    const drillEnv: DrillEnv = {
      runId,
      journal,
      secrets,
      outDir: opts.outDir,
      workRoot,
      keep: opts.keep ?? false,
      signal,
      progress,
      versions,
      pristine,
    };
    try {
      // One uncounted run per tool + settings, before the first counted run of its group (the others wait for it).
      if (wantsWarmup(plan)) {
        let w = warmupOf.get(plan.group);
        if (!w) {
          w = (async () => {
            progress.runStart(
              `${plan.loaded.scenario.name} · ${plan.label} (warm-up, not counted)`,
              plan.index,
              opts.plans.length,
            );
            const r = await runDrill({ ...plan, index: WARMUP_INDEX_BASE + plan.index, repeat: 0 }, drillEnv);
            warmups.push({ index: r.index, group: r.group, outcome: r.outcome, reason: r.reason });
            progress.runEnd(`warm-up ${r.outcome}: ${r.reason}`, true);
          })();
          warmupOf.set(plan.group, w);
        }
        await w;
      }
      if (signal.aborted) throw new InterruptedError(String(signal.reason ?? "SIGINT"));
      progress.runStart(
        `${plan.loaded.scenario.name} · ${plan.label}${plan.repeat > 1 ? ` #${plan.repeat}` : ""}`,
        plan.index,
        opts.plans.length,
      );
      const loadStart = loadAverage();
      const result = await runDrill(plan, drillEnv);
      const loadEnd = loadAverage();
      if (loadStart !== null && loadEnd !== null) result.loadAverage = { start: loadStart, end: loadEnd };
      results.push(result);
      progress.runEnd(`${result.outcome}: ${result.reason}`, expectationMet(result));
      await mux.onRunEnd(result);
    } catch (e) {
      if (e instanceof InterruptedError) {
        interrupted = true;
        return;
      }
      throw e;
    }
  };
  let parallelJobs = 1;
  try {
    parallelJobs = await runPool(
      opts.plans,
      { jobs, alone: (p) => !p.target.def.parallelRuns, stop: () => signal.aborted || interrupted },
      runOne,
    );
    if (signal.aborted && results.length < opts.plans.length) interrupted = true;
  } finally {
    opts.progress.close();
    if (!opts.keep) await removeTree(workRoot);
  }

  const byFile = new Map(opts.scenarios.map((s) => [s.file, s]));
  const fileSystem = await fileSystemOf(opts.outDir);
  const build = (): ResultsFile => {
    const environment: Environment = {
      node: process.version,
      drdrill: packageVersion(),
      os: osName(),
      kernel: release(),
      arch: arch(),
      cpus: cpus().length,
      cpuModel: cpuModel(),
      memoryBytes: totalmem(),
      ...(fileSystem ? { fileSystem } : {}),
      // What the target said of itself (image, container, data directory...), from the first run.
      target: {
        ...(journal.events().find((e) => e.type === "target") as { info?: Record<string, string> } | undefined)?.info,
        kind: [...new Set(results.map((r) => r.target))].join(", ") || (opts.plans[0]?.target.name ?? "local"),
      },
      tools: versions,
    };
    return assembleResults({
      runId,
      startedAt,
      finishedAt: new Date().toISOString(),
      argv: opts.argv,
      environment,
      scenarios: opts.scenarios.map(scenarioRecord),
      results,
      parallelJobs,
      warmups,
      interrupted,
      ...warningsOf(journal),
      thresholdsOf: (r) => byFile.get(r.file)?.thresholds ?? [],
      projectTo: projectSizes(opts.scenarios),
    });
  };
  let file = build();
  // The journal's last word: interrupted (after cleanup ran), or, once the reports are written, how
  // the invocation ended, with the exit code it ends with.
  const interruptedBeforeReports = interrupted;
  if (interrupted) journal.emit("interrupted", { signal: String(signal.reason ?? "SIGINT") });
  await mux.onEnd(file, opts.outDir);
  // Ctrl-C while the reports were written: they are all there; they now say the run was interrupted.
  if (!interrupted && signal.aborted) {
    interrupted = true;
    file = build();
    journal.emit("interrupted", { signal: String(signal.reason ?? "SIGINT"), during: "reports" });
    await mux.onEnd(file, opts.outDir);
  }
  if (!interruptedBeforeReports) journal.emit("invocation-end", { exitCode: file.exitCode });
  journal.close();
  interrupt?.dispose();
  for (const err of mux.errors) process.stderr.write(`drdrill: ${err}\n`);
  return file;
}
