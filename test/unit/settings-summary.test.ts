// The console's comparison of settings, in hyperfine's manner: median ± σ per setting, then
// "A backed up 1.80 ± 0.13 times faster than B"; RPO only where ranked; before the verdict line.
import { describe, expect, it } from "vitest";
import { compareRuns } from "../../harness/metrics/comparison.ts";
import type { RunResult } from "../../harness/model/result.ts";
import { renderSummary } from "../../reports/console.ts";
import { renderHtml } from "../../reports/html.ts";
import { renderSettingsSummary, speedup } from "../../reports/settings-summary.ts";
import { repeats, resultsFile } from "./report-fixture.ts";

function setting(label: string, tool: string, scale: Record<string, number>, over: Partial<RunResult> = {}) {
  return repeats([0.95, 1, 1.05], scale).map((r) => ({ ...r, label, tool, group: `seed-drill :: ${label}`, ...over }));
}

function file(runs: RunResult[]) {
  const rs = runs.map((r, i) => ({ ...r, index: i }));
  return { ...resultsFile(rs), comparison: compareRuns(rs) };
}

describe("the settings summary", () => {
  it("propagates the spread of a ratio as hyperfine does", () => {
    const r = speedup({ median: 2, sd: 0.1, n: 5 }, { median: 3.6, sd: 0.18, n: 5 })!;
    expect(r.ratio).toBeCloseTo(1.8, 9);
    expect(r.spread).toBeCloseTo(1.8 * Math.sqrt(0.05 ** 2 + 0.05 ** 2), 9);
    expect(speedup({ median: 2, sd: 0, n: 1 }, { median: 3, sd: 0, n: 1 })).toEqual({ ratio: 1.5, spread: null });
  });

  it("lists each setting's median ± σ, then how many times faster and smaller the best is", () => {
    const lines = renderSettingsSummary(
      file([
        ...setting("restic compression=auto", "restic", {}),
        ...setting("borg compression=lz4", "borg", { backupMs: 1.8, repoBytes: 1.3, peakRssBytes: 2 }),
      ]),
    );
    expect(lines[0]).toBe("Comparison of seed-drill (median ± σ, 3 runs each)");
    expect(lines).toContain("  backup time   restic compression=auto  2.40 s ± 120 ms");
    expect(lines).toContain("                borg compression=lz4     4.31 s ± 216 ms");
    expect(lines.join("\n")).toContain(
      "  restic compression=auto backed up\n    1.80 ± 0.13 times faster than borg compression=lz4",
    );
    expect(lines.join("\n")).toContain(
      "  restic compression=auto stored a repository\n    1.30 ± 0.00 times smaller than borg compression=lz4",
    );
    expect(lines.join("\n")).toContain("    2.00 ± 0.14 times less memory than borg compression=lz4");
    // cold drills: RPO is not the tool's, so not ranked here
    expect(lines.join("\n")).not.toMatch(/RPO/);
  });

  it("ranks RPO in hot drills, says when runs were single, and says nothing for one setting", () => {
    const hot = renderSettingsSummary(
      file([
        ...setting("restic", "restic", {}, { mode: "hot" }),
        ...setting("borg", "borg", { rpoMs: 1.5 }, { mode: "hot" }),
      ]),
    ).join("\n");
    expect(hot).toContain("  restic had an RPO\n    1.50 ± 0.11 times shorter than borg");
    const single = renderSettingsSummary(
      file([...setting("restic", "restic", {}).slice(0, 1), ...setting("borg", "borg", { backupMs: 2 }).slice(0, 1)]),
    );
    expect(single).toContain("    2.00 times faster than borg");
    expect(single.at(-1)).toBe("  (single runs: no spread; repeat with --repeat 5 for one)");
    expect(renderSettingsSummary(file(setting("restic", "restic", {})))).toEqual([]);
  });

  it("the console ends its run lines with it, before the verdict", () => {
    const out = renderSummary(file([...setting("restic", "restic", {}), ...setting("borg", "borg", { backupMs: 2 })]));
    const lines = out.split("\n");
    expect(lines.at(-1)).toMatch(/^Passed: /);
    expect(lines.indexOf("Comparison of seed-drill (median ± σ, 3 runs each)")).toBeGreaterThan(5);
  });

  it("index.html leads with it: after the banner, before the runs table; none for one setting", () => {
    const html = renderHtml(file([...setting("restic", "restic", {}), ...setting("borg", "borg", { backupMs: 2 })]));
    const lead = html.indexOf('<section id="settings-summary"');
    expect(lead).toBeGreaterThan(0);
    expect(html.indexOf('<section id="tools"')).toBeGreaterThan(lead);
    expect(html.indexOf("<table", lead)).toBeGreaterThan(html.indexOf("</section>", lead));
    const body = html.slice(lead, html.indexOf("</section>", lead));
    expect(body).toContain("Comparison of seed-drill (median ± σ, 3 runs each)");
    expect(body).toContain("  restic backed up\n    2.00 ± 0.14 times faster than borg");
    expect(renderHtml(file(setting("restic", "restic", {})))).not.toContain('id="settings-summary"');
  });

  it("index.html charts times, rates, repository size and peak RSS per setting with their spread, first", () => {
    const html = renderHtml(file([...setting("restic", "restic", {}), ...setting("borg", "borg", { repoBytes: 2 })]));
    const lead = html.slice(html.indexOf('<section id="settings-summary"'), html.indexOf('<section id="tools"'));
    const panels = [...lead.matchAll(/<g class="panel" data-metric="(\w+)">/g)].map((m) => m[1]);
    expect(panels).toEqual(expect.arrayContaining(["backupMs", "restoreMs", "repoBytes", "peakRssBytes"]));
    const repo = lead.slice(
      lead.indexOf('data-metric="repoBytes"'),
      lead.indexOf("</g>\n</g>", lead.indexOf('data-metric="repoBytes"')),
    );
    // restic's repository is half borg's: the best (★), each bar with a whisker and median ± σ
    expect(repo).toMatch(/★ restic/);
    expect(repo).not.toMatch(/★ borg/);
    expect(repo.match(/<path d="M/g)).toHaveLength(2);
    expect(repo).toMatch(/class="value">[\d.]+ [kMG]?B ± [\d.]+ [kMG]?B</);
  });
});
