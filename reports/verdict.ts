// The verdict of a finished invocation, as the HTML report's banner shows it: passed, or which
// runs failed their expectation, missed an objective, or could not run.
import type { RunResult } from "../harness/model/result.ts";
import type { ResultsFile } from "../harness/model/results-file.ts";

export type VerdictStatus = "passed" | "failed" | "error" | "interrupted" | "empty";

export interface Verdict {
  status: VerdictStatus;
  headline: string;
  detail: string;
  runs: number;
  passed: number;
  /** Outcome not among the expected ones (silent corruption always counts here). */
  failedExpectations: number;
  /** Outcome as expected, but an objective was missed. */
  failedObjectives: number;
  /** The harness or its environment failed: not a verdict on the tool. */
  errors: number;
}

export function expectationMet(r: RunResult): boolean {
  return r.expected.includes(r.outcome) && r.outcome !== "silent-corruption";
}

export function verdictOf(results: ResultsFile): Verdict {
  const rs = results.results;
  const errors = rs.filter((r) => r.outcome === "error").length;
  const failedExpectations = rs.filter((r) => r.outcome !== "error" && !expectationMet(r)).length;
  const failedObjectives = rs.filter((r) => r.outcome !== "error" && expectationMet(r) && !r.passed).length;
  const passed = rs.filter((r) => r.passed).length;
  const base = { runs: rs.length, passed, failedExpectations, failedObjectives, errors };
  const parts = [
    failedExpectations ? `${failedExpectations} failed expectation${failedExpectations > 1 ? "s" : ""}` : "",
    failedObjectives ? `${failedObjectives} missed objective${failedObjectives > 1 ? "s" : ""}` : "",
    errors ? `${errors} could not run (environment)` : "",
  ].filter(Boolean);
  if (results.interrupted) {
    return {
      ...base,
      status: "interrupted",
      headline: "Interrupted",
      detail: `Stopped after ${rs.length} run(s); cleanup ran. ${passed} passed${parts.length ? `, ${parts.join(", ")}` : ""}.`,
    };
  }
  if (rs.length === 0) return { ...base, status: "empty", headline: "No runs", detail: "Nothing was run." };
  if (passed === rs.length) {
    return {
      ...base,
      status: "passed",
      headline: "Passed",
      detail: `All ${rs.length} run(s) ended as expected and met their objectives.`,
    };
  }
  const status = failedExpectations + failedObjectives === 0 ? "error" : "failed";
  return {
    ...base,
    status,
    headline: status === "error" ? "Error" : "Failed",
    detail: `${rs.length - passed} of ${rs.length} run(s) did not pass: ${parts.join(", ")}.`,
  };
}
