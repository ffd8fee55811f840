// The summary printed at the end of `drdrill run`: one line per run, the comparison of tools and
// settings in hyperfine's manner when a scenario has several, the verdict, and where the reports are.
import type { ResultsFile } from "../harness/model/results-file.ts";
import { runVerdict, verdictOf } from "../harness/model/verdict.ts";
import { metricColumns, OUTCOME_MARK, runName, verdictLine } from "./format.ts";
import type { Reporter } from "../harness/model/reporter.ts";
import { parallelNote } from "./parallel-note.ts";
import { pointText } from "./recovery-point-text.ts";
import { renderSettingsSummary } from "./settings-summary.ts";

export function renderSummary(results: ResultsFile): string {
  const cols = metricColumns("summary");
  const lines = results.results.flatMap((r) => {
    const v = runVerdict(r);
    const cells = cols.cells(r);
    const metrics = cols.headings.map((h, i) => `${h} ${cells[i]}`).join("  ");
    const rp = r.recoveryPoint;
    const point = rp?.fallback ? `  restored ${pointText(rp)} after ${rp.fallback.failedPoints.join(", ")} failed` : "";
    const line = `${v.mark.padEnd(5)} ${runName(r)}: ${OUTCOME_MARK[r.outcome]}  ${metrics}${point}`;
    // A run that did not pass says why on a line of its own, under it.
    return v.kind === "passed" ? [line] : [line, `      ${verdictLine(r)}`];
  });
  const compared = renderSettingsSummary(results);
  if (compared.length > 0) lines.push("", ...compared, "");
  const v = verdictOf(results);
  lines.push(`${v.headline}: ${v.detail}`);
  const note = parallelNote(results);
  if (note) lines.push(note);
  return lines.join("\n");
}

export function createConsoleReporter(write: (s: string) => void = (s) => process.stdout.write(s)): Reporter {
  return {
    name: "console",
    onEnd(results, outDir) {
      write(`\n${renderSummary(results)}\nmarkdown: ${outDir}/report.md\nreport: ${outDir}/index.html\n`);
    },
  };
}
