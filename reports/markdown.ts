// report.md: what a person reads: the verdict, a table per run, objectives, faults, fidelity,
// the exact commands run, phases and the environment.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RunResult } from "../harness/model/result.ts";
import type { SandboxRecord } from "../harness/model/sandbox.ts";
import { compareRuns } from "../harness/metrics/comparison.ts";
import type { ResultsFile } from "../harness/model/results-file.ts";
import { renderComparison } from "./comparison.ts";
import { renderProjection } from "./projection-section.ts";
import { renderFaultsTable } from "./faults-table.ts";
import { renderSiteSection } from "./site-section.ts";
import { renderReplicationMatrix } from "./replication-matrix.ts";
import { renderRecoveryPoints } from "./recovery-points-table.ts";
import { renderRestoreTests } from "./restore-tests-table.ts";
import { parallelNote } from "./parallel-note.ts";
import { contextRows } from "./context.ts";
import { ageText, askedText, attemptText, identicalText, pointText, writesLostText } from "./recovery-point-text.ts";
import { formatNamedMetric, metricHeading } from "../harness/model/metrics.ts";
import { verdictOf } from "../harness/model/verdict.ts";
import { escapeMd, formatBytes, formatDuration, metricColumns, OUTCOME_MARK, runName, verdictCell } from "./format.ts";
import type { Reporter } from "../harness/model/reporter.ts";

function runsTable(results: RunResult[]): string[] {
  const cols = metricColumns("runs");
  const head = ["#", "scenario", "tool / settings", "outcome", "expected", "verdict", ...cols.headings];
  const rows = results.map((r) =>
    [
      String(r.index + 1),
      r.scenario,
      `${escapeMd(r.label)}${r.repeat > 1 ? ` #${r.repeat}` : ""}`,
      OUTCOME_MARK[r.outcome],
      r.expected.join(", "),
      verdictCell(r),
      ...cols.cells(r),
    ].join(" | "),
  );
  return [`| ${head.join(" | ")} |`, `|${"---|".repeat(head.length)}`, ...rows.map((row) => `| ${row} |`)];
}

/** One line: where the drill ran instead of production, and production's digest before and after. */
export function sandboxLine(s: SandboxRecord): string {
  const verdict =
    s.untouched === true
      ? "**untouched**"
      : s.untouched === false
        ? `**CHANGED** (${s.changeCount ?? 0} entries)`
        : `**not proven** (${escapeMd(s.note ?? "not read again")})`;
  return (
    `Sandbox: the drill ran on a ${s.method === "reflink" ? "reflink copy" : "copy"} of production ` +
    `\`${escapeMd(s.production)}\` in \`${escapeMd(s.clone)}\`; production's digest before \`${s.digestBefore}\`, ` +
    `after \`${s.digestAfter ?? "-"}\`: ${verdict}.`
  );
}

function runDetail(r: RunResult): string[] {
  const out = [
    `### ${r.index + 1}. ${escapeMd(runName(r))}`,
    "",
    `Verdict: ${verdictCell(r)}. ` +
      `Outcome **${OUTCOME_MARK[r.outcome]}** (expected ${r.expected.join(" or ")}): ${escapeMd(r.reason)}.`,
    "",
  ];
  if (r.error) out.push(`Error: \`${r.error}\``, "");
  if (r.sandbox) out.push(sandboxLine(r.sandbox), "");
  if (r.objectives.length > 0) {
    out.push("| objective | threshold | measured | met |", "|---|---|---|---|");
    for (const o of r.objectives)
      out.push(
        `| ${o.metric} | \`${o.threshold}\` | ${formatNamedMetric(o.metric, o.value)} | ` +
          `${o.passed ? "yes" : "**NO**"} |`,
      );
    out.push("");
  }
  for (const f of r.faults)
    out.push(`- Fault **${f.fault}** \`${JSON.stringify(f.params)}\` → ${escapeMd(JSON.stringify(f.effects))}`);
  const said = r.toolCalls.filter((c) => c.message);
  for (const c of said) out.push(`- ${c.label} said: \`${escapeMd(c.message!)}\``);
  if (r.faults.length + said.length > 0) out.push("");
  const rp = r.recoveryPoint;
  if (rp?.attempts.length) {
    out.push(
      `Recovery point (${askedText(rp)}): ${pointText(rp)}, taken ${rp.backup?.takenAt ?? "-"}, ${ageText(rp)} ` +
        `old at the disaster; writes lost ${writesLostText(rp)}; restored byte-identical ${identicalText(rp)}.`,
      "",
    );
    if (rp.attempts.length > 1 || !rp.attempts[0]!.placed)
      for (const a of rp.attempts) out.push(`- tried ${escapeMd(attemptText(a))}`);
    out.push("");
  }
  const v = r.verification;
  if (v) {
    out.push(
      `Verification: ${v.filesChecked} files (${v.entriesChecked} entries) compared with the manifest taken at ` +
        `backup; ${v.mismatchCount} mismatch(es).`,
      "",
    );
    if (v.fidelity) {
      out.push("| attribute | kept | checked | precision | required |", "|---|---|---|---|---|");
      for (const [a, f] of Object.entries(v.fidelity)) {
        if (f.checked === 0) continue;
        const precision = f.note ? escapeMd(f.note) : f.precisionMs !== undefined ? `${f.precisionMs} ms` : "exact";
        out.push(`| ${a} | ${f.kept} | ${f.checked} | ${precision} | ${f.required ? "yes" : "no"} |`);
      }
      out.push("");
    }
    if (v.mismatches.length > 0) {
      out.push("| path | difference | expected | restored |", "|---|---|---|---|");
      for (const m of v.mismatches.slice(0, 20))
        out.push(
          `| \`${escapeMd(m.path)}\` | ${m.kind} | ${escapeMd(m.expected ?? "")} | ${escapeMd(m.actual ?? "")} |`,
        );
      if (v.mismatchCount > 20) out.push(`| … | ${v.mismatchCount - 20} more | | |`);
      out.push("");
    }
  }
  if (r.checks?.length) {
    out.push("User checks:", "");
    for (const c of r.checks) {
      const how = `on ${c.on}, exit ${c.exitCode ?? "none"}, ${formatDuration(c.ms)}`;
      const words = c.said ? `: ${escapeMd(c.said)}` : "";
      out.push(`- ${c.ok ? "passed" : "**failed**"}: \`${escapeMd(c.command)}\` (${how})${words}`);
    }
    out.push("");
  }
  out.push("Commands run (secrets redacted):", "", "| command | exit | time | logs |", "|---|---|---|---|");
  for (const c of r.toolCalls) {
    const exit = c.timedOut ? "killed (timeout)" : c.exitCode === null ? (c.signal ?? "?") : String(c.exitCode);
    out.push(
      `| \`${escapeMd(c.command)}\` | ${exit} | ${formatDuration(c.durationMs)} | [out](${c.stdoutLog}) [err](` +
        `${c.stderrLog}) |`,
    );
  }
  out.push(
    "",
    `Phases: ` +
      r.phases.map((p) => `${p.name} ${formatDuration(p.endMs - p.startMs)}${p.ok ? "" : " (failed)"}`).join(" → "),
    "",
  );
  return out;
}

export function renderMarkdown(results: ResultsFile): string {
  const e = results.environment;
  const v = verdictOf(results);
  const lines = [
    `# drdrill report ${results.runId}`,
    "",
    `**${v.headline.toUpperCase()}**: ${v.detail}`,
    "",
    ...(results.warnings ?? []).map((w) => `> **Warning:** ${escapeMd(w)}\n`),
    ...(parallelNote(results) ? [`> ${parallelNote(results)}`, ""] : []),
    `Started ${results.startedAt}, finished ${results.finishedAt}. Target: ${e.target.kind ?? "?"}. Tools: ${
      Object.entries(e.tools)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ") || "none"
    }.`,
    "",
    "## Runs",
    "",
    ...runsTable(results.results),
    "",
    `${metricColumns("runs")
      .metrics.map((m) => `${metricHeading(m)}: ${m.title}.`)
      .join(" ")}`,
    "",
    ...renderComparison(results.comparison ?? compareRuns(results.results), results.warmups),
    ...renderProjection(results.projection),
    ...renderFaultsTable(results.results),
    ...renderReplicationMatrix(results.results),
    ...renderSiteSection(results.results),
    ...renderRestoreTests(results.results),
    ...renderRecoveryPoints(results.results),
    "## Details",
    "",
    ...results.results.flatMap(runDetail),
    "## Environment",
    "",
    `node ${e.node}, drdrill ${e.drdrill}, ${e.os} (kernel ${e.kernel}, ${e.arch}), ${e.cpus} CPUs, ` +
      `${formatBytes(e.memoryBytes)} memory.`,
    "",
    ...contextRows(results).map((c) => `- ${c.name}: ${escapeMd(c.value)}`),
    ...(contextRows(results).length > 0 ? [""] : []),
    `Command: \`drdrill ${results.argv.join(" ")}\``,
    "",
  ];
  return lines.join("\n");
}

export const markdownReporter: Reporter = {
  name: "markdown",
  async onEnd(results, outDir) {
    const path = join(outDir, "report.md");
    await writeFile(path, renderMarkdown(results));
    return path;
  },
};
