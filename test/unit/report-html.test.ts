// index.html as a reader gets it: one file that fetches nothing, with the verdict, the runs table,
// the charts and each run's faults, commands and logs.
import { describe, expect, it } from "vitest";
import { renderHtml } from "../../reports/html.ts";
import { repeats, resultsFile, run } from "./report-fixture.ts";

/** Everything that would make a browser fetch: links to stylesheets, scripts, images, fonts, CSS url(). */
function fetches(html: string): string[] {
  const found = [
    ...html.matchAll(/<(?:link|img|iframe|object|embed|audio|video|source)\b[^>]*>/gi),
    ...html.matchAll(/<script\b[^>]*\bsrc=[^>]*>/gi),
    ...html.matchAll(/url\(\s*['"]?(?!data:)[^)]*\)/gi),
    ...html.matchAll(/@import/gi),
    ...html.matchAll(/(?:src|href)="(?:https?:)?\/\/[^"]*"/gi),
  ];
  return found.map((m) => m[0]);
}

describe("the HTML report", () => {
  const passed = resultsFile([run()]);

  it("is one self-contained file: CSS and script inline, nothing fetched", () => {
    const html = renderHtml(passed);
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain("<style>");
    expect(html).toMatch(/<script>\s*\/\/ Sorts a report table/);
    expect(fetches(html)).toEqual([]);
    expect(html).toContain("default-src 'none'");
  });

  it("shows a passed verdict, the runs table and the charts", () => {
    const html = renderHtml(passed);
    expect(html).toMatch(/<section id="verdict" class="banner banner-passed"/);
    expect(html).toContain("<h1>Passed</h1>");
    expect(html).toMatch(/<table class="runs sortable">/);
    expect(html.match(/<tr class="tone-good" data-run="run-1">/g)).toHaveLength(1);
    expect(html).toContain('data-sort="1676.1"');
    expect(html).toContain("1.68 s");
    expect(html).toContain('aria-label="Backup and restore throughput per tool and settings"');
    expect(html).toContain('aria-label="Timeline of each drill');
    expect(html).toContain("RTO 1.68 s");
    expect(html).not.toContain('id="rpo"');
  });

  it("tells failed expectations from missed objectives in the banner", () => {
    const html = renderHtml(
      resultsFile([
        run({ index: 0 }),
        run({
          index: 1,
          outcome: "silent-corruption",
          passed: false,
          reason: "restore reported success but 3 files differ",
        }),
        run({
          index: 2,
          passed: false,
          objectives: [{ metric: "rtoMs", threshold: "< 1s", value: 1676.1, passed: false }],
        }),
      ]),
    );
    expect(html).toContain("banner-failed");
    expect(html).toContain("2 of 3 run(s) did not pass: 1 failed expectation, 1 missed objective.");
    expect(html).toMatch(/failed expectations<\/dt><dd>1<\/dd>/);
    expect(html).toMatch(/missed objectives<\/dt><dd>1<\/dd>/);
    expect(html).toContain("SILENT CORRUPTION");
    expect(html).toContain('<span class="no">NO</span>');
  });

  it("shows per fault what was broken and what the tool said, with links to the logs", () => {
    const html = renderHtml(passed);
    expect(html).toContain("Fault: delete-path");
    expect(html).toMatch(/<dt>entriesDeleted<\/dt><dd>274<\/dd>/);
    expect(html).toContain("duplicity-restore exited 0");
    expect(html).toContain('href="logs/run-001/004-duplicity-restore.stderr.log"');
    expect(html).toContain("PASSPHRASE=*** duplicity full");
  });

  it("shows the environment and the exact command", () => {
    const html = renderHtml(passed);
    expect(html).toContain("Debian GNU/Linux 12 (bookworm)");
    expect(html).toContain("<dt>duplicity</dt><dd>0.8.22</dd>");
    expect(html).toContain("drdrill run scenarios/seed --out /tmp/r1");
    expect(html).toContain("ef8a19b20446a1d4361077500d9ed9142c46b3007369c3c080d7a183dae1a6e7");
  });

  it("draws spread whiskers for repeated runs", () => {
    const html = renderHtml(resultsFile(repeats([0.9, 1, 1.2])));
    expect(html).toMatch(/backup: median [\d.]+ MB\/s, min [\d.]+ MB\/s, max [\d.]+ MB\/s over 3 runs/);
    expect(html.match(/<circle [^>]*r="2.2"/g)?.length).toBe(6);
  });

  it("draws RPO against the backup interval only when intervals were swept", () => {
    const swept = resultsFile([
      run({ index: 0, settings: { interval: "1m" }, metrics: { rpoMs: 50_000 } }),
      run({ index: 1, settings: { interval: "5m" }, metrics: { rpoMs: 280_000 } }),
    ]);
    expect(renderHtml(swept)).toContain('aria-label="Achieved RPO against backup interval"');
    const one = resultsFile([run({ settings: { interval: "1m" } })]);
    expect(renderHtml(one)).not.toContain("Achieved RPO against backup interval");
  });

  it("escapes whatever a scenario or a tool said", () => {
    const html = renderHtml(
      resultsFile([run({ scenario: "<script>alert(1)</script>", reason: "a & b <b>", toolCalls: [] })]),
    );
    expect(html).not.toContain("<script>alert(1)");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("a &amp; b &lt;b&gt;");
  });

  it("embeds its data model as JSON that parses", () => {
    const html = renderHtml(passed);
    const json = /<script type="application\/json" id="drdrill-model">(.*?)<\/script>/s.exec(html)![1]!;
    const model = JSON.parse(json);
    expect(model.verdict.status).toBe("passed");
    expect(model.rows).toHaveLength(1);
  });

  it("lists the user's checks as report.md does: passed or failed, where, exit, time, their words", () => {
    const html = renderHtml(
      resultsFile([
        run({
          checks: [
            { command: "./dr/smoke.sh", on: "target", ok: true, exitCode: 0, ms: 812 },
            { command: "openstack image list", on: "local", ok: false, exitCode: 4, ms: 95, said: "cirros <gone>" },
          ],
        }),
      ]),
    );
    expect(html).toContain("<h4>User checks</h4>");
    expect(html).toMatch(
      /<span class="ok">passed<\/span>: <code>.\/dr\/smoke.sh<\/code> \(on target, exit 0, 812 ms\)/,
    );
    expect(html).toMatch(/<span class="no">failed<\/span>: <code>openstack image list<\/code> \(on local, exit 4, /);
    expect(html).toContain("<q>cirros &lt;gone&gt;</q>");
    expect(renderHtml(passed)).not.toContain("User checks");
  });

  it("renders an empty or interrupted run without failing", () => {
    expect(renderHtml(resultsFile([]))).toContain("No runs");
    expect(renderHtml(resultsFile([run()], { interrupted: true }))).toContain("banner-interrupted");
  });
});
