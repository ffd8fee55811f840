// The verdict of one run and of a whole invocation, and the words for it: every reporter (report.md,
// index.html, junit.xml, the console, the evidence summary, `drdrill compare`) and the exit code read it here.
import { EXIT, type ExitCode } from "./exit-codes.ts";
import { formatNamedMetric } from "./metrics.ts";
import type { RunResult } from "./result.ts";

/** How one run ended for the person who asked for it. */
export type RunVerdictKind = "passed" | "failed-expectation" | "missed-objective" | "error";

export interface RunVerdict {
  kind: RunVerdictKind;
  /** One word for a status column. */
  mark: "PASS" | "FAIL" | "ERROR";
  /** What it means, in a reader's words. */
  words: string;
  /** Why: the outcome against the expected one, the objectives missed, or the error ("" when it passed). */
  why: string;
}

const RUN_VERDICTS: Record<RunVerdictKind, Omit<RunVerdict, "kind" | "why">> = {
  passed: { mark: "PASS", words: "passed" },
  "failed-expectation": { mark: "FAIL", words: "outcome not as expected" },
  "missed-objective": { mark: "FAIL", words: "missed an objective" },
  error: { mark: "ERROR", words: "could not run (environment)" },
};

/** The outcome is one the scenario expects (silent corruption never is). */
export function expectationMet(r: Pick<RunResult, "outcome" | "expected">): boolean {
  return r.expected.includes(r.outcome) && r.outcome !== "silent-corruption";
}

/**
 * An `error` outcome is the harness or its environment failing: never a verdict on the tool, whatever
 * was expected. Otherwise the outcome is judged first, then the objectives.
 */
export function runVerdict(
  r: Pick<RunResult, "outcome" | "expected" | "passed" | "objectives" | "reason">,
): RunVerdict {
  const missed = r.objectives.filter((o) => !o.passed);
  const kind: RunVerdictKind =
    r.outcome === "error"
      ? "error"
      : !expectationMet(r)
        ? "failed-expectation"
        : !r.passed || missed.length > 0
          ? "missed-objective"
          : "passed";
  const why = {
    passed: "",
    "failed-expectation": `${r.outcome}, expected ${r.expected.join(" or ")}`,
    "missed-objective":
      missed.map((o) => `${o.metric} ${o.threshold}, measured ${formatNamedMetric(o.metric, o.value)}`).join("; ") ||
      "an objective was missed",
    error: r.reason,
  }[kind];
  return { kind, ...RUN_VERDICTS[kind], why };
}

export type VerdictStatus = "passed" | "failed" | "error" | "interrupted" | "empty";

export interface Verdict {
  status: VerdictStatus;
  headline: string;
  detail: string;
  /** What drdrill exits with for it (results.json's exitCode). */
  exitCode: ExitCode;
  runs: number;
  passed: number;
  /** Outcome not among the expected ones (silent corruption always counts here). */
  failedExpectations: number;
  /** Outcome as expected, but an objective was missed. */
  failedObjectives: number;
  /** The harness or its environment failed: not a verdict on the tool. */
  errors: number;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * The verdict of an invocation from its runs' verdicts. A run that could not run makes it an
 * environment error (exit 3) even beside failed runs: the failures are then listed in the detail.
 * Failed expectations are exit 1; missed objectives alone (every outcome as expected) exit 4.
 */
export function verdictOf(results: { results: readonly RunResult[]; interrupted: boolean }): Verdict {
  const rs = results.results;
  const count = (kind: RunVerdictKind) => rs.filter((r) => runVerdict(r).kind === kind).length;
  const base = {
    runs: rs.length,
    passed: count("passed"),
    failedExpectations: count("failed-expectation"),
    failedObjectives: count("missed-objective"),
    errors: count("error"),
  };
  const parts = [
    base.failedExpectations ? plural(base.failedExpectations, "failed expectation", "failed expectations") : "",
    base.failedObjectives ? plural(base.failedObjectives, "missed objective", "missed objectives") : "",
    base.errors ? `${base.errors} could not run (environment)` : "",
  ].filter(Boolean);
  if (results.interrupted)
    return {
      ...base,
      status: "interrupted",
      exitCode: EXIT.interrupted,
      headline: "Interrupted",
      detail: `Stopped after ${rs.length} run(s); cleanup ran. ${[`${base.passed} passed`, ...parts].join(", ")}.`,
    };
  if (rs.length === 0)
    return { ...base, status: "empty", exitCode: EXIT.ok, headline: "No runs", detail: "Nothing was run." };
  if (base.passed === rs.length)
    return {
      ...base,
      status: "passed",
      exitCode: EXIT.ok,
      headline: "Passed",
      detail: `All ${rs.length} run(s) ended as expected and met their objectives.`,
    };
  const error = base.errors > 0;
  return {
    ...base,
    status: error ? "error" : "failed",
    // A could-not-run outranks a failed expectation, which outranks a missed objective alone.
    exitCode: error ? EXIT.environment : base.failedExpectations > 0 ? EXIT.failed : EXIT.objective,
    headline: error ? "Error" : "Failed",
    detail: `${rs.length - base.passed} of ${rs.length} run(s) did not pass: ${parts.join(", ")}.`,
  };
}
