// The "Recovery points" section of report.md: per run, the backup restored and how it was chosen,
// its age at the disaster, the writes lost, the share restored byte-identical, and any fallback.
import type { RunResult } from "../harness/model/result.ts";
import { ageText, askedText, fallbackText, identicalText, pointText, writesLostText } from "./recovery-point-text.ts";
import { escapeMd } from "./format.ts";

export function renderRecoveryPoints(results: RunResult[]): string[] {
  const rows = results.filter((r) => r.recoveryPoint?.attempts.length);
  if (rows.length === 0) return [];
  return [
    "## Recovery points",
    "",
    "| # | scenario | tool | asked | restored | age at disaster | writes lost | byte-identical | fallback |",
    "|---|---|---|---|---|---|---|---|---|",
    ...rows.map((r) => {
      const rp = r.recoveryPoint;
      return (
        `| ${r.index + 1} | ${r.scenario} | ${escapeMd(r.label)} | ${escapeMd(askedText(rp))} | ` +
        `${escapeMd(pointText(rp))} | ${ageText(rp)} | ${escapeMd(writesLostText(rp))} | ${identicalText(rp)} | ` +
        `${escapeMd(fallbackText(rp)) || "-"} |`
      );
    }),
    "",
    "Age at disaster: from the restored backup's start to the disaster. Writes lost: load-writer records " +
      "written before the disaster that the restored data does not hold, counted by their sequence numbers " +
      "(unknown where the target has no load writer). newest-restorable tries the newest backup, then each older " +
      "one while the tool reports damage; the fallback's cost is how much older the point restored is than the " +
      "newest one tried.",
    "",
  ];
}
