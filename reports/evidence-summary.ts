// SUMMARY.md of an evidence bundle: what a marker needs to see that the drill really ran and what
// it measured, with wall-clock timestamps from the journal. Pure function of its inputs.
import type { JournalEvent } from "../harness/model/journal-events.ts";
import type { ResultsFile } from "../harness/model/results-file.ts";
import { formatNamedMetric } from "../harness/model/metrics.ts";
import { verdictOf } from "../harness/model/verdict.ts";
import { formatBytes, formatDuration } from "../harness/util/units.ts";
import { escapeMd, metricColumns, OUTCOME_MARK, verdictCell } from "./format.ts";

export interface ScenarioEvidence {
  name: string;
  file: string;
  sha256: string;
  /** Path inside the bundle, or null when the file as run could not be included. */
  bundled: string | null;
  note: string;
}

export interface EvidenceInputs {
  results: ResultsFile;
  events: JournalEvent[];
  scenarios: ScenarioEvidence[];
  /** Bundle-relative paths with their sha256, as in SHA256SUMS. */
  files: { path: string; sha256: string; bytes: number }[];
  createdAt: string;
  createdBy: string;
}

function describe(e: JournalEvent): string | null {
  switch (e.type) {
    case "run-start":
      return `run started: scenario **${e.scenario}**, tool ${e.tool}, target ${e.target}, repeat ${e.repeat}`;
    case "dataset":
      return `target seeded: ${e.files} files, ${formatBytes(e.bytes)}`;
    case "services-down":
      return "services stopped";
    case "services-up":
      return "services up (health check passed)";
    case "manifest":
      return `manifest of the data taken: ${e.files} files, ${formatBytes(e.bytes)}, digest \`${e.digest}\``;
    case "tool-call":
      return (
        `\`${e.label}\` exited ${e.timedOut ? "(killed: timeout)" : (e.exitCode ?? e.signal)} after ` +
        `${formatDuration(e.durationMs)}${e.message ? `: ${escapeMd(e.message)}` : ""} — log \`${e.stderrPath}\``
      );
    case "repo-size":
      return `backup repository: ${formatBytes(e.bytes)}`;
    case "fault-injected":
      return (
        `**fault ${e.fault} injected** ${escapeMd(JSON.stringify(e.params))} → ` +
        `${escapeMd(JSON.stringify(e.effects))}`
      );
    case "health":
      return e.ok ? null : `health check failed: ${escapeMd(e.detail)}`;
    case "load-survivor":
      return e.newestWallMs === null
        ? "no write of the load writer survived"
        : `newest surviving write of the load writer: ${new Date(e.newestWallMs).toISOString()}`;
    case "verification":
      return `restored tree compared with the manifest: ${e.filesChecked} files, ${e.mismatches} mismatch(es)`;
    case "outcome":
      return `**outcome: ${e.outcome}** — ${escapeMd(e.reason)}`;
    case "error":
      return `error: ${escapeMd(e.message)}`;
    case "run-end":
      return "run ended";
    case "interrupted":
      return `interrupted (${e.signal}); cleanup ran`;
    default:
      return null;
  }
}

export function renderEvidenceSummary(x: EvidenceInputs): string {
  const r = x.results;
  const v = verdictOf(r);
  const e = r.environment;
  const lines = [
    `# Evidence of drdrill run ${r.runId}`,
    "",
    `**Verdict: ${v.headline.toUpperCase()}** — ${v.detail}`,
    "",
    `- Run started ${r.startedAt}, finished ${r.finishedAt}; exit code ${r.exitCode}` +
      `${r.interrupted ? " (interrupted)" : ""}.`,
    `- Command: \`drdrill ${r.argv.join(" ")}\``,
    `- Machine: ${e.os} (kernel ${e.kernel}, ${e.arch}), ${e.cpus} CPUs, ${formatBytes(e.memoryBytes)} memory; ` +
      `node ${e.node}, drdrill ${e.drdrill}.`,
    `- Tools: ${
      Object.entries(e.tools)
        .map(([k, val]) => `${k} ${val}`)
        .join(", ") || "none"
    }. Target: ${Object.values(e.target).join(", ")}.`,
    `- This bundle was made ${x.createdAt} by \`${x.createdBy}\`. Secrets were redacted when the run folder ` +
      `was written and the bundle was checked for them again.`,
    "",
    "## What was measured",
    "",
  ];
  const cols = metricColumns("evidence");
  const head = ["#", "scenario", "tool · settings", "started", "outcome", "verdict", ...cols.headings];
  lines.push(`| ${head.join(" | ")} |`, `|${"---|".repeat(head.length)}`);
  const startOf = new Map<number, string>();
  for (const ev of x.events) if (ev.type === "run-start" && ev.run !== undefined) startOf.set(ev.run, ev.wall);
  for (const res of r.results) {
    const row = [
      String(res.index + 1),
      escapeMd(res.scenario),
      `${escapeMd(res.label)}${res.repeat > 1 ? ` (${res.repeat})` : ""}`,
      startOf.get(res.index) ?? "?",
      `${OUTCOME_MARK[res.outcome] ?? res.outcome} (expected ${res.expected.join(" or ")})`,
      verdictCell(res),
      ...cols.cells(res),
    ];
    lines.push(`| ${row.join(" | ")} |`);
  }
  lines.push("", "Objectives:", "");
  for (const res of r.results) {
    for (const o of res.objectives)
      lines.push(
        `- run ${res.index + 1}: ${o.metric} \`${o.threshold}\` → ${formatNamedMetric(o.metric, o.value)} ` +
          (o.passed ? "met" : "**MISSED**"),
      );
  }
  if (r.results.every((res) => res.objectives.length === 0)) lines.push("- none declared");
  lines.push(
    "",
    "## Manifests (the data each backup was taken of)",
    "",
    "| run | taken at | files | bytes | digest |",
    "|---|---|---|---|---|",
  );
  const manifests = x.events.filter((ev): ev is Extract<JournalEvent, { type: "manifest" }> => ev.type === "manifest");
  for (const mf of manifests)
    lines.push(`| ${(mf.run ?? 0) + 1} | ${mf.wall} | ${mf.files} | ${mf.bytes} | \`${mf.digest}\` |`);
  if (manifests.length === 0) lines.push("| – | – | – | – | no manifest was taken |");
  lines.push("", "## What happened, as the journal recorded it", "");
  const byRun = new Map<number, JournalEvent[]>();
  for (const ev of x.events) if (ev.run !== undefined) byRun.set(ev.run, [...(byRun.get(ev.run) ?? []), ev]);
  for (const [run, evs] of byRun) {
    lines.push(`### Run ${run + 1}`, "");
    for (const ev of evs) {
      const d = describe(ev);
      if (d) lines.push(`- \`${ev.wall}\` ${d}`);
    }
    lines.push("");
  }
  lines.push("## Scenario files as run", "", "| scenario | file | sha256 | in this bundle |", "|---|---|---|---|");
  for (const s of x.scenarios)
    lines.push(
      `| ${escapeMd(s.name)} | \`${escapeMd(s.file)}\` | \`${s.sha256}\` | ` +
        `${s.bundled ? `\`${s.bundled}\`` : "no"}${s.note ? ` (${escapeMd(s.note)})` : ""} |`,
    );
  lines.push(
    "",
    "## Files in this bundle",
    "",
    "Their sha256 digests are also in `SHA256SUMS` (check with `sha256sum -c SHA256SUMS`).",
    "",
    "| file | bytes | sha256 |",
    "|---|---|---|",
  );
  for (const f of x.files) lines.push(`| \`${escapeMd(f.path)}\` | ${f.bytes} | \`${f.sha256}\` |`);
  lines.push("");
  return lines.join("\n");
}
