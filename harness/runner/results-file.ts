// results.json assembled in one place, for `drdrill run` and `drdrill merge` alike: the runs in plan
// order with their objectives applied over all of them, the comparison, the summary and the exit code.
import { createHash, randomBytes } from "node:crypto";
import { compareRuns } from "../metrics/comparison.ts";
import { projectRuns, type Projection } from "../metrics/projection.ts";
import type { RunResult } from "../model/result.ts";
import { SCHEMA_VERSION, type Environment, type ResultsFile, type WarmupRun } from "../model/results-file.ts";
import { verdictOf } from "../model/verdict.ts";
import type { Threshold } from "../objectives/parse.ts";
import { applyObjectives } from "./objectives.ts";

export interface ResultsParts {
  runId: string;
  startedAt: string;
  finishedAt: string;
  argv: string[];
  environment: Environment;
  scenarios: ResultsFile["scenarios"];
  /** Every counted run; sorted by index here. */
  results: RunResult[];
  /** The most runs that went at once. */
  parallelJobs: number;
  warmups?: WarmupRun[];
  interrupted: boolean;
  warnings?: string[];
  /**
   * The objectives of each run's scenario, applied over all the runs (a p50 is over every repeat).
   * Absent: each run keeps the objectives it holds (a merge that could not find the scenario as run).
   */
  thresholdsOf?: (r: RunResult) => Threshold[];
  /** Per scenario that set `project: { size }`: the size (bytes) its size sweep is projected to. */
  projectTo?: Record<string, number>;
}

/** How a warning that the machine was busy starts (a merge replaces the shards' with its own). */
const BUSY = "the machine was busy";

/**
 * A warning when the 1-minute load average went above the core count during a run (at its start or
 * end): other work then shared the CPUs, and the run's timings are slower and noisier than on an
 * idle machine. Null when no run was.
 */
export function busyWarning(results: readonly RunResult[], cores: number): string | null {
  const busy = results.filter((r) => r.loadAverage && Math.max(r.loadAverage.start, r.loadAverage.end) > cores);
  if (busy.length === 0) return null;
  const peak = Math.max(...busy.map((r) => Math.max(r.loadAverage!.start, r.loadAverage!.end)));
  const which = busy.length === results.length ? "every run" : `runs ${busy.map((r) => `#${r.index + 1}`).join(", ")}`;
  return (
    `${BUSY} during ${which} (1-minute load average up to ${peak.toFixed(2)} on ${cores} cores): ` +
    "other work shared the CPUs, so those timings are slower and noisier than an idle machine's"
  );
}

export function newRunId(): string {
  return `${new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "")}-${randomBytes(3).toString("hex")}`;
}

/** A scenario as results.json names it: its name, file and the digest of its text as run. */
export function scenarioRecord(s: { file: string; text: string; scenario: { name: string } }) {
  return { name: s.scenario.name, file: s.file, sha256: createHash("sha256").update(s.text).digest("hex") };
}

/** The file, its fields in the order results.json has always had them. */
function projectionOf(results: RunResult[], to: Record<string, number> | undefined): { projection?: Projection[] } {
  if (!to || Object.keys(to).length === 0) return {};
  const projection = projectRuns(results, to);
  return projection.length > 0 ? { projection } : {};
}

export function assembleResults(p: ResultsParts): ResultsFile {
  const results = [...p.results].sort((a, b) => a.index - b.index);
  if (p.thresholdsOf) applyObjectives(results, p.thresholdsOf);
  const outcomes: Record<string, number> = {};
  for (const r of results) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
  const busy = busyWarning(results, p.environment.cpus);
  const warnings = [...new Set([...(p.warnings ?? []).filter((w) => !w.startsWith(BUSY)), ...(busy ? [busy] : [])])];
  return {
    schemaVersion: SCHEMA_VERSION,
    runId: p.runId,
    startedAt: p.startedAt,
    finishedAt: p.finishedAt,
    argv: p.argv,
    environment: p.environment,
    scenarios: p.scenarios,
    results,
    parallelJobs: Math.max(1, p.parallelJobs),
    ...(p.warmups && p.warmups.length > 0 ? { warmups: p.warmups } : {}),
    comparison: compareRuns(results),
    ...projectionOf(results, p.projectTo),
    summary: {
      runs: results.length,
      passed: results.filter((r) => r.passed).length,
      failed: results.filter((r) => !r.passed).length,
      outcomes,
    },
    exitCode: verdictOf({ results, interrupted: p.interrupted }).exitCode,
    interrupted: p.interrupted,
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}
