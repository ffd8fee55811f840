// Matches the runs of two results.json files by group (scenario, tool, settings) and judges each
// metric's change and each group's pass rate. Pure function of the two files.
import type { RunResult } from "../model/result.ts";
import type { ResultsFile } from "../model/results-file.ts";
import { JUDGED_METRICS } from "../model/metrics.ts";
import { runVerdict } from "../model/verdict.ts";
import { judgeChange, type Judgement, type JudgeOptions, type MetricKind } from "./judge.ts";
import { spreadOf, type Spread } from "./spread.ts";
import { formatBytes } from "../util/units.ts";

export interface MetricChange extends Judgement {
  kind: MetricKind;
  base: Spread | null;
  next: Spread | null;
}

export interface SideSummary {
  runs: number;
  passed: number;
  outcomes: string[];
  /** The runs that did not pass, counted by their verdict's words ("2 outcome not as expected"). */
  notPassed: string[];
}

export interface GroupChange {
  group: string;
  scenario: string;
  label: string;
  /** Present in both, or only in one of them. */
  presence: "both" | "base-only" | "new-only";
  base: SideSummary | null;
  next: SideSummary | null;
  /** Fewer runs pass than before (always a regression, whatever the noise). */
  outcomeRegression: boolean;
  metrics: MetricChange[];
  notes: string[];
}

export interface ResultsComparison {
  base: { runId: string; startedAt: string; runs: number; parallelJobs: number };
  next: { runId: string; startedAt: string; runs: number; parallelJobs: number };
  options: JudgeOptions;
  groups: GroupChange[];
  regressions: number;
  improvements: number;
}

function byGroup(results: RunResult[]): Map<string, RunResult[]> {
  const m = new Map<string, RunResult[]>();
  for (const r of results) m.set(r.group, [...(m.get(r.group) ?? []), r]);
  return m;
}

function side(runs: RunResult[] | undefined): SideSummary | null {
  if (!runs) return null;
  const words = new Map<string, number>();
  for (const v of runs.map(runVerdict)) if (v.kind !== "passed") words.set(v.words, (words.get(v.words) ?? 0) + 1);
  return {
    runs: runs.length,
    passed: runs.filter((r) => runVerdict(r).kind === "passed").length,
    outcomes: runs.map((r) => r.outcome),
    notPassed: [...words].map(([w, n]) => `${n} ${w}`),
  };
}

/** Only runs that got as far as measuring count towards the metrics (those that could not run measured nothing). */
const measured = (runs: RunResult[]) => runs.filter((r) => runVerdict(r).kind !== "error");

function compareGroup(
  group: string,
  base: RunResult[] | undefined,
  next: RunResult[] | undefined,
  opts: JudgeOptions,
): GroupChange {
  const any = (base ?? next)![0]!;
  const out: GroupChange = {
    group,
    scenario: any.scenario,
    label: any.label,
    presence: base && next ? "both" : base ? "base-only" : "new-only",
    base: side(base),
    next: side(next),
    outcomeRegression: false,
    metrics: [],
    notes: [],
  };
  if (!base || !next) return out;
  const b = out.base!;
  const n = out.next!;
  out.outcomeRegression = n.passed / n.runs < b.passed / b.runs;
  if (out.outcomeRegression)
    out.notes.push(
      `passed ${b.passed}/${b.runs} before, ${n.passed}/${n.runs} now ` +
        `(${n.notPassed.join(", ")}; outcomes: ${n.outcomes.join(", ")})`,
    );
  const mb = measured(base);
  const mn = measured(next);
  const src = {
    base: spreadOf(mb.map((r) => r.metrics.sourceBytes)),
    next: spreadOf(mn.map((r) => r.metrics.sourceBytes)),
  };
  if (src.base && src.next && src.base.median !== src.next.median) {
    out.notes.push(
      `the data set differs (${formatBytes(src.base.median)} before, ${formatBytes(src.next.median)} now): compare rates, not times`,
    );
  }
  const sourceBytes = src.base && src.next ? { base: src.base.median, next: src.next.median } : undefined;
  out.metrics = JUDGED_METRICS.map((kind) => {
    const sb = spreadOf(mb.map((r) => r.metrics[kind.key]));
    const sn = spreadOf(mn.map((r) => r.metrics[kind.key]));
    return { kind, base: sb, next: sn, ...judgeChange(kind, sb, sn, opts, sourceBytes) };
  });
  return out;
}

export function compareResults(base: ResultsFile, next: ResultsFile, opts: JudgeOptions): ResultsComparison {
  const gb = byGroup(base.results);
  const gn = byGroup(next.results);
  const names = [...new Set([...gb.keys(), ...gn.keys()])];
  const groups = names.map((g) => compareGroup(g, gb.get(g), gn.get(g), opts));
  const regressions = groups.reduce(
    (s, g) => s + (g.outcomeRegression ? 1 : 0) + g.metrics.filter((m) => m.verdict === "regression").length,
    0,
  );
  const improvements = groups.reduce((s, g) => s + g.metrics.filter((m) => m.verdict === "improvement").length, 0);
  return {
    base: {
      runId: base.runId,
      startedAt: base.startedAt,
      runs: base.results.length,
      parallelJobs: base.parallelJobs ?? 1,
    },
    next: {
      runId: next.runId,
      startedAt: next.startedAt,
      runs: next.results.length,
      parallelJobs: next.parallelJobs ?? 1,
    },
    options: opts,
    groups,
    regressions,
    improvements,
  };
}
