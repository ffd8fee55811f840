// The summary printed at the end of `drdrill run`: one line per run and where the reports are.
import type { ResultsFile } from "../harness/model/results-file.ts";
import { formatBytes, formatDuration, formatRate, OUTCOME_MARK, runName } from "./format.ts";
import type { Reporter } from "../harness/model/reporter.ts";
import { parallelNote } from "./parallel-note.ts";
import { pointText } from "./recovery-point-text.ts";

export function renderSummary(results: ResultsFile): string {
  const lines = results.results.map((r) => {
    const m = r.metrics;
    const mark = r.passed ? "PASS" : "FAIL";
    return `${mark}  ${runName(r)}: ${OUTCOME_MARK[r.outcome]}${r.passed ? "" : ` (expected ${r.expected.join("/")}; ${r.reason})`}  RTO ${formatDuration(m.rtoMs)}  RPO ${formatDuration(m.rpoMs)}${r.recoveryPoint?.fallback ? `  restored ${pointText(r.recoveryPoint)} after ${r.recoveryPoint.fallback.failedPoints.join(", ")} failed` : ""}  backup ${formatRate(m.backupThroughputBps)}  restore ${formatRate(m.restoreThroughputBps)}  repo ${formatBytes(m.repoBytes)}`;
  });
  const s = results.summary;
  lines.push(`${s.passed} passed, ${s.failed} failed`);
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
