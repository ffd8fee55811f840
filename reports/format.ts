// Shared formatting for reports: metric cells, outcome marks, run labels.
import type { RunResult } from "../harness/model/result.ts";
export { formatBytes, formatDuration, formatRate } from "../harness/util/units.ts";

export const OUTCOME_MARK: Record<string, string> = {
  recovered: "recovered",
  detected: "detected",
  "silent-corruption": "SILENT CORRUPTION",
  failed: "failed",
  error: "error",
};

export function runName(r: RunResult): string {
  return `${r.scenario} · ${r.label}${r.repeat > 1 ? ` #${r.repeat}` : ""}`;
}

export function escapeMd(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}
