// One verdict for one run: the same results rendered by every reporter (report.md, index.html,
// junit.xml, the console, the evidence summary, `drdrill compare`) say the same thing, for each kind
// of verdict, and the exit code agrees. A run that could not run is never called a failed expectation.
import { describe, expect, it } from "vitest";
import { compareResults } from "../../harness/compare/compare-results.ts";
import { renderComparisonMarkdown } from "../../harness/compare/render-markdown.ts";
import { DEFAULT_JUDGE } from "../../harness/compare/judge.ts";
import { EXIT } from "../../harness/model/exit-codes.ts";
import type { RunResult } from "../../harness/model/result.ts";
import type { ResultsFile } from "../../harness/model/results-file.ts";
import { runVerdict, verdictOf, type RunVerdictKind, type VerdictStatus } from "../../harness/model/verdict.ts";
import { assembleResults } from "../../harness/runner/results-file.ts";
import { renderSummary } from "../../reports/console.ts";
import { renderEvidenceSummary } from "../../reports/evidence-summary.ts";
import { renderHtml } from "../../reports/html.ts";
import { renderJunit } from "../../reports/junit.ts";
import { renderMarkdown } from "../../reports/markdown.ts";
import { resultsFile, run } from "./report-fixture.ts";

const failedExpectation = (index: number) =>
  run({ index, outcome: "failed", passed: false, reason: "the restore hung and was killed at the timeout" });
const missedObjective = (index: number) =>
  run({ index, passed: false, objectives: [{ metric: "rtoMs", threshold: "< 1s", value: 1676.1, passed: false }] });
const couldNotRun = (index: number) =>
  run({ index, outcome: "error", passed: false, reason: "docker: cannot connect to the daemon" });

/** The words each kind of run verdict is shown with; "passed" is left out (every report says "N passed"). */
const WORDS: Record<Exclude<RunVerdictKind, "passed">, string> = {
  "failed-expectation": "outcome not as expected",
  "missed-objective": "missed an objective",
  error: "could not run (environment)",
};

const CASES: { name: string; file: ResultsFile; status: VerdictStatus; exit: number; kinds: RunVerdictKind[] }[] = [
  { name: "passed", file: resultsFile([run()]), status: "passed", exit: EXIT.ok, kinds: ["passed"] },
  {
    name: "a failed expectation",
    file: resultsFile([run(), failedExpectation(1)]),
    status: "failed",
    exit: EXIT.failed,
    kinds: ["passed", "failed-expectation"],
  },
  {
    name: "silent corruption, even where expected",
    file: resultsFile([run({ outcome: "silent-corruption", expected: ["silent-corruption"], passed: false })]),
    status: "failed",
    exit: EXIT.failed,
    kinds: ["failed-expectation"],
  },
  {
    name: "a missed objective",
    file: resultsFile([missedObjective(0)]),
    status: "failed",
    exit: EXIT.objective,
    kinds: ["missed-objective"],
  },
  {
    name: "an environment error",
    file: resultsFile([run(), couldNotRun(1)]),
    status: "error",
    exit: EXIT.environment,
    kinds: ["passed", "error"],
  },
  {
    name: "an environment error beside failures",
    file: resultsFile([failedExpectation(0), missedObjective(1), couldNotRun(2)]),
    status: "error",
    exit: EXIT.environment,
    kinds: ["failed-expectation", "missed-objective", "error"],
  },
  {
    name: "interrupted",
    file: resultsFile([run(), couldNotRun(1)], { interrupted: true }),
    status: "interrupted",
    exit: EXIT.interrupted,
    kinds: ["passed", "error"],
  },
  { name: "no runs", file: resultsFile([]), status: "empty", exit: EXIT.ok, kinds: [] },
];

function renderAll(file: ResultsFile): Record<string, string> {
  const base = resultsFile([run()]);
  return {
    "report.md": renderMarkdown(file),
    "index.html": renderHtml(file),
    "junit.xml": renderJunit(file),
    console: renderSummary(file),
    "SUMMARY.md": renderEvidenceSummary({
      results: file,
      events: [],
      scenarios: [],
      files: [],
      createdAt: "2026-11-26T10:00:00.000Z",
      createdBy: "test",
    }),
    compare: renderComparisonMarkdown(compareResults(base, file, DEFAULT_JUDGE)),
  };
}

const htmlText = (s: string) =>
  s
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&amp;/g, "&");

describe("one verdict, every reporter", () => {
  for (const c of CASES) {
    it(`${c.name}: ${c.status}, exit ${c.exit}, in every report alike`, () => {
      const v = verdictOf(c.file);
      expect(v.status).toBe(c.status);
      expect(v.exitCode).toBe(c.exit);
      expect(c.file.results.map((r) => runVerdict(r).kind)).toEqual(c.kinds);
      // results.json says the same: its exit code comes from the verdict.
      const assembled = assembleResults({
        ...c.file,
        parallelJobs: 1,
        results: c.file.results.map((r) => structuredClone(r)),
      });
      expect(assembled.exitCode).toBe(c.exit);

      const out = renderAll(c.file);
      // The invocation's verdict, as each report heads it.
      expect(out["report.md"]).toContain(`**${v.headline.toUpperCase()}**: ${v.detail}`);
      expect(out["SUMMARY.md"]).toContain(`**Verdict: ${v.headline.toUpperCase()}** — ${v.detail}`);
      expect(out.console.split("\n").at(-1)).toBe(`${v.headline}: ${v.detail}`);
      expect(out["index.html"]).toContain(`<section id="verdict" class="banner banner-${v.status}"`);
      expect(out["index.html"]).toContain(`<h1>${v.headline}</h1>`);
      expect(htmlText(out["index.html"])).toContain(`<p>${v.detail}</p>`);
      expect(out["junit.xml"]).toContain(
        `tests="${v.runs}" failures="${v.failedExpectations + v.failedObjectives}" errors="${v.errors}">`,
      );

      // Each run's verdict: its words appear in a report exactly when a run has that verdict.
      for (const [kind, words] of Object.entries(WORDS)) {
        const has = c.kinds.includes(kind as RunVerdictKind);
        for (const [report, text] of Object.entries(out)) {
          expect(htmlText(text).includes(words), `${report} ${has ? "shows" : "does not show"} "${words}"`).toBe(has);
        }
      }
      // Per run, in the runs tables and the console's line for it.
      for (const r of c.file.results) {
        const rv = runVerdict(r);
        const cell = rv.kind === "passed" ? rv.words : `**${rv.words}**`;
        expect(out["report.md"]).toMatch(new RegExp(`^\\| ${r.index + 1} \\| .* \\| ${escape(cell)} \\|`, "m"));
        expect(out["SUMMARY.md"]).toMatch(new RegExp(`^\\| ${r.index + 1} \\| .* \\| ${escape(cell)} \\|`, "m"));
        expect(out.console).toMatch(new RegExp(`^${rv.mark} +${escape(r.scenario)}`, "m"));
        expect(out["junit.xml"]).toMatch(junitCase(r, rv.kind));
      }
    });
  }
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The testcase of a run: no child when it passed, else a failure or an error whose message begins with the words. */
function junitCase(r: RunResult, kind: RunVerdictKind): RegExp {
  const name = escape(`${r.label} #${r.repeat}`);
  if (kind === "passed")
    return new RegExp(`<testcase [^>]*name="${name}"[^>]*><properties>.*?</properties></testcase>`);
  const el = kind === "error" ? "error" : "failure";
  return new RegExp(`<testcase [^>]*name="${name}"[^>]*>.*<${el} message="${escape(WORDS[kind])}: `);
}
