// Replication against backup, as one matrix a person reads at a glance: per disaster (rows) and
// approach (columns), the outcome, the achieved RPO, the replication lag or the backup interval,
// the RTO and the bytes sent to site B.
import type { RunResult } from "../harness/model/result.ts";
import { runVerdict } from "../harness/model/verdict.ts";
import { escapeMd, formatBytes, formatDuration } from "./format.ts";

/** The disaster of a run: its last fault that destroyed something (network faults are not). */
export function disasterOf(r: RunResult): string {
  const real = r.faults.filter(
    (f) => !["partition", "packet-loss", "bandwidth", "latency", "heal-network"].includes(f.fault),
  );
  const last = real.at(-1)?.fault ?? "none";
  return r.faults.some((f) => f.fault === "partition") ? `${last} during a partition` : last;
}

const MARK: Record<string, string> = {
  recovered: "✅ recovered",
  failed: "❌ failed",
  detected: "⚠️ detected",
  "silent-corruption": "💥 silent corruption",
  error: "⛔ error",
};

function cell(r: RunResult): string {
  const m = r.metrics;
  const cadence = r.replication
    ? `lag ${formatDuration(m.replicationLagMs ?? null)} (max ${formatDuration(m.replicationLagMaxMs ?? null)})`
    : `every ${formatDuration(r.scheduleEveryMs ?? null)}`;
  const v = runVerdict(r);
  const mark = `${MARK[r.outcome] ?? r.outcome}${v.kind === "passed" ? "" : ` (${v.words})`}`;
  const sent = formatBytes(m.siteBytesSent ?? null);
  return `${mark}<br>RPO ${formatDuration(m.rpoMs)} · ${cadence}<br>RTO ${formatDuration(m.rtoMs)} · ${sent} sent`;
}

export function renderReplicationMatrix(results: RunResult[]): string[] {
  if (!results.some((r) => r.replication)) return [];
  const approaches = [...new Set(results.map((r) => r.label))];
  const disasters = [...new Set(results.map(disasterOf))];
  const out = [
    "## Replication against backup",
    "",
    "Per disaster and approach: the outcome, the achieved RPO (the disaster back to the newest write that " +
      'survived), the replication lag sampled while it ran (what replication products show as "RPO") or the ' +
      "backup interval, the RTO, and the bytes sent to site B.",
    "",
    `| disaster | ${approaches.map(escapeMd).join(" | ")} |`,
    `|---|${approaches.map(() => "---|").join("")}`,
  ];
  for (const d of disasters) {
    const row = approaches.map((a) => {
      const rs = results.filter((r) => r.label === a && disasterOf(r) === d);
      return rs.length === 0 ? "–" : rs.map(cell).join("<br>");
    });
    out.push(`| ${escapeMd(d)} | ${row.join(" | ")} |`);
  }
  const failed = results.filter((r) => r.replication && r.outcome === "failed");
  if (failed.length > 0)
    out.push("", ...failed.map((r) => `- ${escapeMd(r.label)}, ${escapeMd(disasterOf(r))}: ${escapeMd(r.reason)}`));
  out.push("");
  return out;
}
