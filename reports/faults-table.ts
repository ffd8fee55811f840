// The "Faults" section of report.md: per run with a fault, what was broken, the outcome, what the
// tool (or the harness) said, the point restored (and the points that failed before it), RTO and RPO.
import type { RunResult } from "../harness/model/result.ts";
import { escapeMd, metricColumns, OUTCOME_MARK } from "./format.ts";
import { fallbackText, pointText } from "./recovery-point-text.ts";

function said(r: RunResult): string {
  const call = r.toolCalls.find((c) => c.message && c.kind !== "other");
  if (r.outcome === "detected" || r.outcome === "failed") return r.reason;
  return call?.message ? `${call.label}: ${call.message}` : "";
}

export function renderFaultsTable(results: RunResult[]): string[] {
  const rows = results.filter((r) => r.faults.length > 0);
  if (rows.length === 0) return [];
  const cols = metricColumns("faults");
  const head = ["#", "scenario", "tool", "fault(s)", "outcome", "expected", "what the tool or harness said"];
  head.push("point restored", ...cols.headings);
  return [
    "## Faults",
    "",
    `| ${head.join(" | ")} |`,
    `|${"---|".repeat(head.length)}`,
    ...rows.map((r) => {
      const faults = r.faults.map((f) => f.fault).join(" + ");
      const point =
        [pointText(r.recoveryPoint), fallbackText(r.recoveryPoint)].filter((t) => t && t !== "-").join("; ") || "-";
      const cells = [String(r.index + 1), r.scenario, escapeMd(r.label), faults, OUTCOME_MARK[r.outcome]];
      cells.push(r.expected.join(", "), escapeMd(said(r)).slice(0, 240), escapeMd(point), ...cols.cells(r));
      return `| ${cells.join(" | ")} |`;
    }),
    "",
  ];
}
