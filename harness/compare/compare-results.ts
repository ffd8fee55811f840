// Matches the runs of two results.json files (same scenario, tool and settings) and judges, per group,
// its outcomes, objectives and recovery point, and each gated metric's change against its noise; then
// the exit code of the whole comparison. Pure function of the two files.
import type { RunResult } from "../model/result.ts";
import type { ResultsFile } from "../model/results-file.ts";
import { EXIT, worstExit } from "../model/exit-codes.ts";
import { JUDGED_METRICS, type MetricKey } from "../model/metrics.ts";
import { runVerdict } from "../model/verdict.ts";
import { formatBytes } from "../util/units.ts";
import { judgeChange, type Judgement, type JudgedMetric, type JudgeOptions } from "./judge.ts";
import { outcomeFindings, summarise, type Finding, type SideSummary } from "./judge-outcomes.ts";
import { holdings, matchGroups } from "./match-groups.ts";
import { spreadOf, type Spread } from "./spread.ts";

export type { SideSummary, Finding };

export interface MetricChange extends Judgement {
  kind: JudgedMetric;
  /** Counted towards the verdict (all, unless --metrics picked others). */
  gated: boolean;
  base: Spread | null;
  next: Spread | null;
}

export interface GroupChange {
  /** What matched the two sides: scenario, tool, the settings that differ from the defaults, sweep values. */
  key: string;
  scenario: string;
  label: string;
  /** Present in both, or only in one of them. */
  presence: "both" | "base-only" | "new-only";
  base: SideSummary | null;
  next: SideSummary | null;
  /** What got worse beside the metrics: failed expectations, missed objectives, could not run, recovery point. */
  findings: Finding[];
  metrics: MetricChange[];
  notes: string[];
}

export interface CompareOptions extends JudgeOptions {
  /** The metrics that count (--metrics); absent: every judged metric. */
  gated?: readonly MetricKey[];
  /** A drill in only one of the two folders fails the comparison (exit 2). */
  requireAll?: boolean;
}

interface SideInfo {
  runId: string;
  startedAt: string;
  runs: number;
  parallelJobs: number;
  /** Every group it holds, for a reader: "scenario · label (N runs)". */
  holds: string[];
}

export interface ResultsComparison {
  base: SideInfo;
  next: SideInfo;
  options: CompareOptions;
  groups: GroupChange[];
  /** Groups in both folders. */
  common: number;
  /** Gated metrics worse beyond noise, and recovery points older than before. */
  regressions: number;
  improvements: number;
  /** Gated metrics of groups in both that had too few runs to be told from noise. */
  notJudged: number;
  /** The exit code of the comparison (model/exit-codes.ts) and why, in a line. */
  exitCode: number;
  verdict: string;
}

/** Only runs that got as far as measuring count towards the metrics (those that could not run measured nothing). */
const measured = (runs: RunResult[]) => runs.filter((r) => runVerdict(r).kind !== "error");

function judgeMetrics(base: RunResult[], next: RunResult[], opts: CompareOptions, notes: string[]): MetricChange[] {
  const mb = measured(base);
  const mn = measured(next);
  const src = {
    base: spreadOf(mb.map((r) => r.metrics.sourceBytes)),
    next: spreadOf(mn.map((r) => r.metrics.sourceBytes)),
  };
  if (src.base && src.next && src.base.median !== src.next.median) {
    notes.push(
      `the data set differs (${formatBytes(src.base.median)} before, ${formatBytes(src.next.median)} now): ` +
        "compare rates, not times",
    );
  }
  const sourceBytes = src.base && src.next ? { base: src.base.median, next: src.next.median } : undefined;
  return JUDGED_METRICS.map((kind) => {
    const sb = spreadOf(mb.map((r) => r.metrics[kind.key]));
    const sn = spreadOf(mn.map((r) => r.metrics[kind.key]));
    const gated = !opts.gated || opts.gated.includes(kind.key);
    return { kind, gated, base: sb, next: sn, ...judgeChange(kind, sb, sn, opts, sourceBytes) };
  });
}

function compareGroup(m: ReturnType<typeof matchGroups>[number], opts: CompareOptions): GroupChange {
  const out: GroupChange = {
    key: m.key,
    scenario: m.scenario,
    label: m.label,
    presence: m.base && m.next ? "both" : m.base ? "base-only" : "new-only",
    base: m.base ? summarise(m.base) : null,
    next: m.next ? summarise(m.next) : null,
    findings: [],
    metrics: [],
    notes: [],
  };
  if (!m.base || !m.next) return out;
  out.findings = outcomeFindings(out.base!, out.next!, out.next!.outcomes);
  out.metrics = judgeMetrics(m.base, m.next, opts, out.notes);
  return out;
}

function side(f: ResultsFile): SideInfo {
  return {
    runId: f.runId,
    startedAt: f.startedAt,
    runs: f.results.length,
    parallelJobs: f.parallelJobs ?? 1,
    holds: holdings(f.results),
  };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function verdictOf(c: Omit<ResultsComparison, "exitCode" | "verdict">): { exitCode: number; verdict: string } {
  if (c.common === 0)
    return {
      exitCode: EXIT.input,
      verdict: "nothing in common: no scenario, tool and settings ran in both, so nothing could be compared",
    };
  const missing = c.groups.filter((g) => g.presence !== "both").length;
  if (c.options.requireAll && missing > 0)
    return { exitCode: EXIT.input, verdict: `${plural(missing, "drill")} in only one of the two (--require-all)` };
  const findings = c.groups.flatMap((g) => g.findings);
  const count = (k: Finding["kind"]) => findings.filter((f) => f.kind === k).length;
  const metricRegressions = c.regressions - count("recovery-point");
  const parts = [
    count("environment") ? `${plural(count("environment"), "drill")} could not run` : "",
    count("failed")
      ? `${plural(count("failed"), "drill")} failing ${count("failed") === 1 ? "its" : "their"} expectation`
      : "",
    count("objective") ? `${plural(count("objective"), "drill")} missing an objective` : "",
    metricRegressions ? plural(metricRegressions, "regression") : "",
    count("recovery-point") ? `${plural(count("recovery-point"), "older recovery point")}` : "",
  ].filter(Boolean);
  const exitCode = worstExit([...findings.map((f) => f.exitCode), ...(metricRegressions > 0 ? [EXIT.regression] : [])]);
  return { exitCode, verdict: parts.length > 0 ? parts.join(", ") : "no regression" };
}

export function compareResults(base: ResultsFile, next: ResultsFile, opts: CompareOptions): ResultsComparison {
  const groups = matchGroups(base.results, next.results).map((m) => compareGroup(m, opts));
  const both = groups.filter((g) => g.presence === "both");
  const gated = both.flatMap((g) => g.metrics.filter((m) => m.gated));
  const partial = {
    base: side(base),
    next: side(next),
    options: opts,
    groups,
    common: both.length,
    regressions:
      gated.filter((m) => m.verdict === "regression").length +
      both.flatMap((g) => g.findings).filter((f) => f.kind === "recovery-point").length,
    improvements: gated.filter((m) => m.verdict === "improvement").length,
    notJudged: gated.filter((m) => m.verdict === "not-judged").length,
  };
  return { ...partial, ...verdictOf(partial) };
}
