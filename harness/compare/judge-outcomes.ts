// What a group's runs came to on each side, and what got worse between them beside the metrics: runs
// that now fail their expectation, miss an objective or could not run, and an older recovery point
// restored than before. Each finding has the exit code it stands for. Pure.
import { EXIT } from "../model/exit-codes.ts";
import type { RunResult } from "../model/result.ts";
import { median } from "../metrics/statistics.ts";
import { runVerdict, type RunVerdictKind } from "../model/verdict.ts";

export interface SideSummary {
  runs: number;
  passed: number;
  outcomes: string[];
  /** The runs that did not pass, counted by their verdict's words ("2 outcome not as expected"). */
  notPassed: string[];
  /** Runs per verdict kind. */
  kinds: Record<RunVerdictKind, number>;
  /** Objectives missed, by name, with how many runs missed each. */
  missed: Record<string, number>;
  /** The median number of backups between the newest one and the one restored (0: the newest); null when none was. */
  pointsBehind: number | null;
}

export type FindingKind = "failed" | "objective" | "environment" | "recovery-point";

export interface Finding {
  kind: FindingKind;
  /** The exit code it stands for (model/exit-codes.ts). */
  exitCode: number;
  text: string;
}

export function summarise(runs: readonly RunResult[]): SideSummary {
  const kinds: Record<RunVerdictKind, number> = { passed: 0, "failed-expectation": 0, "missed-objective": 0, error: 0 };
  const words = new Map<string, number>();
  const missed: Record<string, number> = {};
  for (const r of runs) {
    const v = runVerdict(r);
    kinds[v.kind]++;
    if (v.kind !== "passed") words.set(v.words, (words.get(v.words) ?? 0) + 1);
    for (const o of r.objectives) if (!o.passed) missed[o.metric] = (missed[o.metric] ?? 0) + 1;
  }
  const behind = runs.flatMap((r) => {
    const b = r.recoveryPoint?.backup;
    return b ? [b.of - b.number] : [];
  });
  return {
    runs: runs.length,
    passed: kinds.passed,
    outcomes: runs.map((r) => r.outcome),
    notPassed: [...words].map(([w, n]) => `${n} ${w}`),
    kinds,
    missed,
    pointsBehind: behind.length > 0 ? median(behind) : null,
  };
}

const share = (n: number, of: number) => (of === 0 ? 0 : n / of);
const frac = (n: number, of: number) => `${n}/${of}`;

/** What got worse from base to new, beside the metrics; empty when nothing did. */
export function outcomeFindings(b: SideSummary, n: SideSummary, outcomes: string[]): Finding[] {
  const out: Finding[] = [];
  const grew = (k: RunVerdictKind) => share(n.kinds[k], n.runs) > share(b.kinds[k], b.runs);
  /** "in 2/5 runs, 0/5 before" */
  const counts = (k: RunVerdictKind) => `in ${frac(n.kinds[k], n.runs)} runs, ${frac(b.kinds[k], b.runs)} before`;
  if (grew("error"))
    out.push({
      kind: "environment",
      exitCode: EXIT.environment,
      text: `could not run (environment) ${counts("error")}: nothing to compare them by`,
    });
  if (grew("failed-expectation"))
    out.push({
      kind: "failed",
      exitCode: EXIT.failed,
      text: `outcome not as expected ${counts("failed-expectation")} (outcomes now: ${outcomes.join(", ")})`,
    });
  const newlyMissed = Object.keys(n.missed).filter(
    (m) => share(n.missed[m]!, n.runs) > share(b.missed[m] ?? 0, b.runs),
  );
  const which = newlyMissed.map(
    (m) => `${m} in ${frac(n.missed[m]!, n.runs)}, before ${frac(b.missed[m] ?? 0, b.runs)}`,
  );
  if (grew("missed-objective") || (newlyMissed.length > 0 && n.kinds["missed-objective"] > 0))
    out.push({
      kind: "objective",
      exitCode: EXIT.objective,
      text: `missed an objective ${counts("missed-objective")}${which.length > 0 ? ` (${which.join("; ")})` : ""}`,
    });
  if (b.pointsBehind !== null && n.pointsBehind !== null && n.pointsBehind > b.pointsBehind) {
    const said = (x: number) => (x === 0 ? "the newest backup" : `${x} backup${x === 1 ? "" : "s"} behind the newest`);
    out.push({
      kind: "recovery-point",
      exitCode: EXIT.regression,
      text: `recovery point: restored ${said(n.pointsBehind)} (median), before ${said(b.pointsBehind)}`,
    });
  }
  return out;
}
