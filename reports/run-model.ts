// One run's section of the HTML report: outcome, objectives, each fault and the tool's answer,
// verification, the commands with their logs, and phases. Computed from results.json alone.
import type { RunResult, ToolCallRecord } from "../harness/model/result.ts";
import { formatDuration } from "../harness/util/units.ts";
import { formatNamedMetric } from "../harness/model/metrics.ts";
import { expectationMet, runVerdict } from "../harness/model/verdict.ts";
import { OUTCOME_MARK } from "./format.ts";
import { ageText, askedText, fallbackText, identicalText, pointText, writesLostText } from "./recovery-point-text.ts";

export interface CommandModel {
  label: string;
  command: string;
  exit: string;
  ok: boolean;
  duration: string;
  message?: string;
  stdoutLog: string;
  stderrLog: string;
}

export interface FaultModel {
  name: string;
  params: string;
  effects: { key: string; value: string }[];
  /** The tool's answer: the restore and check calls made after the fault. */
  response: CommandModel[];
}

export interface RunModel {
  id: string;
  /** Shown unfolded: failed runs, and every run of a short invocation. */
  open: boolean;
  number: number;
  name: string;
  label: string;
  outcome: string;
  tone: string;
  passed: boolean;
  /** The run's verdict in words (model/verdict.ts): "passed", "outcome not as expected"... */
  verdict: string;
  expected: string;
  reason: string;
  error: string | null;
  objectives: { metric: string; threshold: string; measured: string; passed: boolean }[];
  faults: FaultModel[];
  /** The backup restored, how it was chosen, its age, the writes lost, every point tried. */
  recoveryPoint: {
    facts: { key: string; value: string }[];
    attempts: {
      backup: string;
      toolId: string;
      takenAt: string;
      verdict: string;
      ok: boolean;
      placed: boolean;
      said: string;
    }[];
    fallback: string;
  } | null;
  verification: {
    summary: string;
    fidelity: { attribute: string; kept: string; precision: string; required: boolean; full: boolean }[];
    mismatches: { path: string; kind: string; expected: string; actual: string }[];
    more: number;
  } | null;
  /** The user's own checks (`verify: [{ command }]`), as report.md lists them. */
  checks: { command: string; ok: boolean; how: string; said: string }[];
  commands: CommandModel[];
  phases: { name: string; duration: string; ok: boolean; detail: string }[];
}

/** The colour of a run's verdict: passed good, could not run a warning, any other bad. */
export function toneOf(r: RunResult): string {
  const kind = runVerdict(r).kind;
  return kind === "passed" ? "good" : kind === "error" ? "warn" : "bad";
}

function commandModel(c: ToolCallRecord): CommandModel {
  const exit = c.timedOut ? "killed (timeout)" : c.exitCode === null ? (c.signal ?? "?") : String(c.exitCode);
  return {
    label: c.label,
    command: c.command,
    exit,
    ok: c.exitCode === 0 && !c.timedOut,
    duration: formatDuration(c.durationMs),
    ...(c.message ? { message: c.message } : {}),
    stdoutLog: c.stdoutLog,
    stderrLog: c.stderrLog,
  };
}

/** The restore/check calls after the i-th fault: phases and calls of those kinds pair up in order. */
function responseTo(r: RunResult, faultIndex: number): ToolCallRecord[] {
  const faultPhases = r.phases.filter((p) => p.name === "fault");
  const at = faultPhases[faultIndex]?.startMs ?? faultPhases.at(-1)?.startMs;
  if (at === undefined) return r.toolCalls.filter((c) => c.kind === "restore" || c.kind === "check");
  const before = r.phases.filter((p) => (p.name === "restore" || p.name === "check") && p.startMs < at).length;
  return r.toolCalls.filter((c) => c.kind === "restore" || c.kind === "check").slice(before);
}

function recoveryPointModel(r: RunResult): RunModel["recoveryPoint"] {
  const rp = r.recoveryPoint;
  if (!rp?.attempts.length) return null;
  return {
    facts: [
      { key: "asked", value: askedText(rp) },
      { key: "restored", value: pointText(rp) },
      { key: "taken", value: rp.backup?.takenAt ?? "-" },
      { key: "disaster", value: rp.disasterAt ?? "-" },
      { key: "age at the disaster", value: ageText(rp) },
      { key: "writes lost", value: writesLostText(rp) },
      { key: "byte-identical", value: identicalText(rp) },
    ],
    attempts: rp.attempts.map((a) => ({
      backup: a.backup === null ? "none" : String(a.backup),
      toolId: a.toolId ?? "",
      takenAt: a.takenAt ?? "",
      verdict: a.verdict,
      ok: a.verdict === "restored",
      placed: a.placed,
      said: a.said ?? "",
    })),
    fallback: fallbackText(rp),
  };
}

export function runModel(r: RunResult, total: number): RunModel {
  const v = r.verification;
  return {
    id: `run-${r.index + 1}`,
    open: !r.passed || total <= 3,
    number: r.index + 1,
    name: `${r.scenario}${r.repeat > 1 ? ` (repeat ${r.repeat})` : ""}`,
    label: r.label,
    outcome: OUTCOME_MARK[r.outcome] ?? r.outcome,
    tone: toneOf(r),
    passed: runVerdict(r).kind === "passed",
    verdict: runVerdict(r).words,
    expected: r.expected.join(" or "),
    reason: expectationMet(r) || r.outcome === "error" ? r.reason : `${r.reason} (expected ${r.expected.join(" or ")})`,
    error: r.error,
    objectives: r.objectives.map((o) => ({
      metric: o.metric,
      threshold: o.threshold,
      measured: formatNamedMetric(o.metric, o.value),
      passed: o.passed,
    })),
    faults: r.faults.map((f, i) => ({
      name: f.fault,
      params: JSON.stringify(f.params),
      effects: Object.entries(f.effects).map(([key, value]) => ({
        key,
        value: typeof value === "string" ? value : JSON.stringify(value),
      })),
      response: responseTo(r, i).map(commandModel),
    })),
    recoveryPoint: recoveryPointModel(r),
    verification: v
      ? {
          summary:
            `${v.filesChecked} files (${v.entriesChecked} entries) compared with the manifest taken at backup: ` +
            `${v.mismatchCount} mismatch${v.mismatchCount === 1 ? "" : "es"}.`,
          fidelity: Object.entries(v.fidelity ?? {})
            .filter(([, f]) => f.checked > 0)
            .map(([attribute, f]) => ({
              attribute,
              kept: `${f.kept} of ${f.checked}`,
              precision: f.note ?? (f.precisionMs !== undefined ? `${f.precisionMs} ms` : "exact"),
              required: f.required,
              full: f.kept === f.checked,
            })),
          mismatches: v.mismatches
            .slice(0, 20)
            .map((m) => ({ path: m.path, kind: m.kind, expected: m.expected ?? "", actual: m.actual ?? "" })),
          more: Math.max(0, v.mismatchCount - 20),
        }
      : null,
    checks: (r.checks ?? []).map((c) => ({
      command: c.command,
      ok: c.ok,
      how: `on ${c.on}, exit ${c.exitCode ?? "none"}, ${formatDuration(c.ms)}`,
      said: c.said ?? "",
    })),
    commands: r.toolCalls.map(commandModel),
    phases: r.phases.map((p) => ({
      name: p.name,
      duration: formatDuration(p.endMs - p.startMs),
      ok: p.ok,
      detail: p.detail ?? "",
    })),
  };
}
