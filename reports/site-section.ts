// The secondary site in report.md: what went over the link, what each tool did when the link broke,
// which backups an attacker on the target could erase, and which scheduled backups never arrived.
import type { RunResult } from "../harness/model/result.ts";
import { escapeMd, formatDuration, formatRate, metricColumns } from "./format.ts";

/** What a tool call did under a network fault, as a person would say it. */
export function underFault(c: RunResult["toolCalls"][number]): string {
  if (c.timedOut)
    return c.message && !/^\(timed out/.test(c.message)
      ? "said what broke, then hung (killed at the timeout)"
      : "hung (killed at the timeout)";
  if (c.exitCode === 0) return "finished";
  return c.message ? "failed with a clear error" : "failed without saying why";
}

export function renderSiteSection(results: RunResult[]): string[] {
  const site = results.filter((r) => r.destination && r.destination !== "local");
  if (site.length === 0) return [];
  const cols = metricColumns("site");
  const head = ["#", "scenario", "tool", "destination", "cap", ...cols.headings, "outcome"];
  const out = ["## Secondary site", "", `| ${head.join(" | ")} |`, `|${"---|".repeat(head.length)}`];
  for (const r of site) {
    const cap = r.bandwidthBps ? formatRate(r.bandwidthBps) : "–";
    const cells = [String(r.index + 1), r.scenario, escapeMd(r.label), r.destination, cap, ...cols.cells(r), r.outcome];
    out.push(`| ${cells.join(" | ")} |`);
  }
  out.push("", "Bytes to and from the site are its network interface's counters around each backup and restore.", "");
  const swept = site.filter((r) => r.bandwidthBps);
  const caps = [...new Set(swept.map((r) => r.bandwidthBps!))].sort((a, b) => a - b);
  if (caps.length >= 2) {
    const tools = [...new Set(swept.map((r) => r.tool))];
    out.push(
      "### Restore time against bandwidth",
      "",
      `| tool | ${caps.map(formatRate).join(" | ")} |`,
      `|---|${caps.map(() => "---|").join("")}`,
    );
    for (const t of tools) {
      const cell = (cap: number) => {
        const ms = swept
          .filter((r) => r.tool === t && r.bandwidthBps === cap)
          .map((r) => r.metrics.restoreMs)
          .filter((v): v is number => v !== null);
        return ms.length > 0 ? formatDuration([...ms].sort((a, b) => a - b)[Math.floor((ms.length - 1) / 2)]!) : "–";
      };
      out.push(`| ${t} | ${caps.map(cell).join(" | ")} |`);
    }
    out.push("");
  }
  const under = site.flatMap((r) => r.toolCalls.filter((c) => c.duringNetworkFault).map((c) => ({ r, c })));
  if (under.length > 0) {
    out.push(
      "### When the link broke",
      "",
      "Each backup or restore that ran while a network fault was in force (the time includes the tool's helper " +
        "commands, which wait on the link too).",
      "",
      "| # | tool | network fault | call | what it did | time | its words |",
      "|---|---|---|---|---|---|---|",
    );
    for (const { r, c } of under)
      out.push(
        `| ${r.index + 1} | ${escapeMd(r.label)} | ${c.duringNetworkFault} | ${c.label} | ${underFault(c)} | ` +
          `${formatDuration(c.callMs ?? c.durationMs)} | ${escapeMd((c.message ?? "").slice(0, 160))} |`,
      );
    out.push("");
  }
  const attacked = site.filter((r) => r.faults.some((f) => f.fault === "delete-backups"));
  if (attacked.length > 0) {
    out.push(
      "### An attacker with the backup credentials",
      "",
      "| # | tool | destination | attacker's commands | backups survived | outcome |",
      "|---|---|---|---|---|---|",
    );
    for (const r of attacked) {
      const e = r.faults.find((f) => f.fault === "delete-backups")!.effects as {
        attackerCommandsSucceeded?: boolean;
        operatorRollback?: { undone?: boolean; rolledBackTo?: string };
      };
      const survived =
        r.outcome === "recovered"
          ? `yes` +
            (e.operatorRollback?.undone
              ? ` (after the operator rolled back to ${e.operatorRollback.rolledBackTo})`
              : "")
          : "no";
      out.push(
        `| ${r.index + 1} | ${r.tool} | ${r.destination} | ` +
          `${e.attackerCommandsSucceeded ? "succeeded" : "refused"} | ${survived} | ${r.outcome} |`,
      );
    }
    out.push("");
  }
  const missed = site.filter((r) => (r.failedBackups ?? []).length > 0);
  if (missed.length > 0) {
    out.push("### Backups that never reached the site", "");
    for (const r of missed)
      for (const b of r.failedBackups!)
        out.push(
          `- run ${r.index + 1} (${escapeMd(r.label)}): ${b.label} during ${b.during}: ` +
            `${escapeMd(b.message.slice(0, 200))}`,
        );
    out.push("", "The achieved RPO of these runs is measured against the last backup that did reach the site.", "");
  }
  return out;
}
