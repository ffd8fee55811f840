// junit.xml: one testsuite per scenario, one testcase per run, for CI dashboards. A run that could not
// run is an <error>, one that failed its expectation or missed an objective a <failure> (model/verdict.ts).
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RunResult } from "../harness/model/result.ts";
import type { ResultsFile } from "../harness/model/results-file.ts";
import type { Reporter } from "../harness/model/reporter.ts";
import { formatNamedMetric } from "../harness/model/metrics.ts";
import { runVerdict, verdictOf } from "../harness/model/verdict.ts";
import { askedText, attemptText, pointText } from "./recovery-point-text.ts";
import { verdictLine } from "./format.ts";

const esc = (s: string) =>
  s.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);

function failureText(r: RunResult): string {
  const lines = [`${runVerdict(r).words}: outcome ${r.outcome} (expected ${r.expected.join(" or ")}): ${r.reason}`];
  for (const o of r.objectives.filter((x) => !x.passed))
    lines.push(`objective ${o.metric} ${o.threshold}: measured ${formatNamedMetric(o.metric, o.value)}`);
  for (const a of r.recoveryPoint?.attempts ?? []) if (!a.placed) lines.push(`restore tried ${attemptText(a)}`);
  for (const m of r.verification?.mismatches.slice(0, 20) ?? [])
    lines.push(
      `${m.kind}: ${m.path}${m.expected ? ` expected ${m.expected}` : ""}${m.actual ? ` got ${m.actual}` : ""}`,
    );
  return lines.join("\n");
}

export function renderJunit(results: ResultsFile): string {
  const byScenario = new Map<string, RunResult[]>();
  for (const r of results.results) byScenario.set(r.scenario, [...(byScenario.get(r.scenario) ?? []), r]);
  const suites = [...byScenario.entries()].map(([name, runs]) => {
    const kinds = runs.map((r) => runVerdict(r).kind);
    const failures = kinds.filter((k) => k === "failed-expectation" || k === "missed-objective").length;
    const errors = kinds.filter((k) => k === "error").length;
    const time = runs.reduce((s, r) => s + (r.phases.at(-1)?.endMs ?? 0), 0) / 1000;
    const cases = runs.map((r) => {
      const caseTime = (r.phases.at(-1)?.endMs ?? 0) / 1000;
      const v = runVerdict(r);
      const message = esc(verdictLine(r));
      const body =
        v.kind === "passed"
          ? ""
          : v.kind === "error"
            ? `<error message="${message}">${esc(failureText(r))}</error>`
            : `<failure message="${message}">${esc(failureText(r))}</failure>`;
      const point = r.recoveryPoint
        ? [
            ["recoveryPoint", pointText(r.recoveryPoint)],
            ["restoreAsked", askedText(r.recoveryPoint)],
          ]
        : [];
      const props = [...Object.entries(r.metrics).filter(([, v]) => v !== null && v !== undefined), ...point]
        .map(([k, v]) => `<property name="${esc(String(k))}" value="${esc(String(v))}"/>`)
        .join("");
      return (
        `    <testcase classname="${esc(name)}" name="${esc(`${r.label} #${r.repeat}`)}" time="` +
        `${caseTime.toFixed(3)}"><properties>${props}</properties>${body}</testcase>`
      );
    });
    return (
      `  <testsuite name="${esc(name)}" tests="${runs.length}" failures="${failures}" errors="${errors}" time="` +
      `${time.toFixed(3)}" timestamp="${results.startedAt}">\n${cases.join("\n")}\n  </testsuite>`
    );
  });
  const v = verdictOf(results);
  const failed = v.failedExpectations + v.failedObjectives;
  const counts = `tests="${v.runs}" failures="${failed}" errors="${v.errors}"`;
  const head = `<testsuites name="drdrill ${results.runId}" ${counts}>`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${head}\n${suites.join("\n")}\n</testsuites>\n`;
}

export const junitReporter: Reporter = {
  name: "junit",
  async onEnd(results, outDir) {
    const path = join(outDir, "junit.xml");
    await writeFile(path, renderJunit(results));
    return path;
  },
};
