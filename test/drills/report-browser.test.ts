// The HTML report as a person sees it: a real drill's index.html opened offline in headless
// Chromium (Debian's package, never a downloaded browser): banner, table, charts visible, the
// table sorts, nothing is fetched; a screenshot is saved into the run folder (report.png).
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { drdrill, ROOT } from "../helpers/cli.ts";
import { tmp } from "../helpers/tmp.ts";

const CHROMIUM = "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
/** Kept after the test (drdrill-runs/ is git-ignored) so the report and its screenshot can be looked at. */
const OUT = join(ROOT, "drdrill-runs", "report-browser");

async function openBrowser(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = await mkdtemp(join(tmpdir(), "drdrill-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

describe.skipIf(!existsSync(CHROMIUM))("the HTML report in a browser (install with: bash ci/setup.sh browser)", () => {
  let browser: Awaited<ReturnType<typeof openBrowser>> | undefined;
  afterAll(async () => browser?.close());

  it("shows the verdict, the runs table, the throughput chart and the phase timeline, offline", async () => {
    await rm(OUT, { recursive: true, force: true });
    const r = await drdrill([
      "run",
      "scenarios/seed/seed-drill.yaml",
      "--tool",
      "duplicity",
      "--size",
      "8MB",
      "--repeat",
      "2",
      "--out",
      OUT,
    ]);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout.trim().split("\n").at(-1)).toBe(`report: ${OUT}/index.html`);

    // `drdrill report` re-renders it from results.json alone
    await unlink(join(OUT, "index.html"));
    const again = await drdrill(["report", OUT]);
    expect(again.exitCode, again.all).toBe(0);
    expect((await stat(join(OUT, "index.html"))).size).toBeGreaterThan(10_000);

    browser = await openBrowser();
    const page = await browser.context.newPage();
    const fetched: string[] = [];
    const errors: string[] = [];
    await page.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith("file:")) return route.continue();
      fetched.push(url);
      return route.abort();
    });
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    await browser.context.setOffline(true);
    await page.goto(`file://${OUT}/index.html`);

    const banner = page.locator("#verdict");
    await expect.poll(() => banner.isVisible()).toBe(true);
    expect(await banner.locator("h1").textContent()).toBe("Passed");
    expect(await banner.textContent()).toContain("All 2 run(s) ended as expected");

    // what a person sees on opening it, before anything is clicked
    await page.screenshot({ path: join(OUT, "report.png"), fullPage: true });
    expect((await readFile(join(OUT, "report.png"))).subarray(1, 4).toString()).toBe("PNG");

    const rows = page.locator("table.runs tbody tr");
    expect(await rows.count()).toBe(2);
    expect(await page.locator("table.runs").isVisible()).toBe(true);
    // sorting by RTO, descending then ascending, orders the rows by the measured values
    const rtoHead = page.locator("table.runs th", { hasText: "RTO" });
    const rtoCol = await page
      .locator("table.runs thead th")
      .evaluateAll((ths) => ths.findIndex((th) => th.textContent?.trim() === "RTO"));
    const rtos = () =>
      rows.evaluateAll(
        (trs, col) =>
          trs.map((tr) =>
            Number((tr as unknown as { cells: { dataset: { sort?: string } }[] }).cells[col]!.dataset.sort),
          ),
        rtoCol,
      );
    await rtoHead.locator("button").click();
    expect(await rtoHead.getAttribute("aria-sort")).toBe("ascending");
    const asc = await rtos();
    expect(asc).toEqual([...asc].sort((a, b) => a - b));
    await rtoHead.locator("button").click();
    expect(await rtos()).toEqual([...asc].reverse());

    for (const id of ["#throughput svg", "#timeline svg"]) {
      const box = await page.locator(id).boundingBox();
      expect(box, id).not.toBeNull();
      expect(box!.width, id).toBeGreaterThan(500);
      expect(box!.height, id).toBeGreaterThan(60);
    }
    expect(await page.locator("#throughput g.bar.backup rect").count()).toBe(1);
    expect(await page.locator("#throughput circle").count()).toBe(4); // one dot per run and series
    for (const phase of ["quiesce", "backup", "load", "fault", "restore", "resume", "verify"]) {
      expect(await page.locator(`#timeline g.phase-${phase}`).count(), phase).toBeGreaterThanOrEqual(2);
    }
    expect(await page.locator("#timeline g.span.rto text").first().textContent()).toMatch(/^RTO \d/);
    expect(await page.locator("#details a", { hasText: "stderr" }).first().getAttribute("href")).toMatch(
      /^logs\/run-001\//,
    );

    expect(fetched).toEqual([]);
    expect(errors).toEqual([]);
  });
  // issue 27: a settings comparison (sweep.settings, two repeats each) opens on the comparison: the summary
  // and each metric charted per setting with its spread, right under the banner, in the first screen, whole.
  it("a settings comparison leads with it: summary and charts under the banner, not cut off", async () => {
    const dir = await tmp("drdrill-settings-html-");
    await writeFile(
      join(dir, "compression.yaml"),
      [
        "name: compression",
        "dataset: { size: 2MB, seed: 3 }",
        "sweep: { settings: { restic.compression: [auto, max] } }",
        "repeat: 2",
        "tools: [restic]",
        "steps:",
        "  - backup: full",
        "  - fault: { delete-path: { path: . } }",
        "  - restore: latest",
        "  - verify: [files]",
        "",
      ].join("\n"),
    );
    const out = `${OUT}-settings`; // kept, like the report above, to be looked at
    await rm(out, { recursive: true, force: true });
    const r = await drdrill(["run", join(dir, "compression.yaml"), "--out", out]);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.all).toContain("Comparison of compression (median ± σ, 2 runs each)");

    browser ??= await openBrowser();
    const page = await browser.context.newPage();
    await browser.context.setOffline(true);
    await page.goto(`file://${out}/index.html`);
    const lead = page.locator("#settings-summary");
    await expect.poll(() => lead.isVisible()).toBe(true);
    // the first section after the banner, and on the first screen as it opens
    const sections = await page.locator("main > section").evaluateAll((els) => els.map((e) => e.id));
    expect(sections.slice(0, 2)).toEqual(["verdict", "settings-summary"]);
    const box = (await lead.boundingBox())!;
    expect(box.y).toBeLessThan(900);
    await page.screenshot({ path: join(out, "comparison.png") });
    expect((await readFile(join(out, "comparison.png"))).subarray(1, 4).toString()).toBe("PNG");

    const text = (await lead.locator("pre").textContent())!;
    expect(text).toContain("Comparison of compression (median ± σ, 2 runs each)");
    expect(text).toMatch(/restic compression=auto/);
    expect(text).toMatch(/restic compression=max/);
    // times, rates, repository size and peak RSS, each bar with its min-max whisker, none wider than the page
    const chart = lead.locator("figure.settings-chart svg");
    const panels = await chart.locator("g.panel").evaluateAll((gs) => gs.map((g) => g.getAttribute("data-metric")));
    expect(panels).toEqual(
      expect.arrayContaining(["backupMs", "restoreMs", "backupThroughputBps", "repoBytes", "peakRssBytes"]),
    );
    const repo = chart.locator('g.panel[data-metric="repoBytes"]');
    expect(await repo.locator("g.bar").count()).toBe(2);
    expect(await repo.locator("g.bar path").count()).toBe(2);
    expect(await repo.locator("text.value").first().textContent()).toMatch(/B ± /);
    expect(await repo.locator("text.sublabel", { hasText: "★" }).count()).toBeGreaterThanOrEqual(1);
    const svg = (await chart.boundingBox())!;
    expect(svg.x + svg.width).toBeLessThanOrEqual(1280);
    expect(svg.width).toBeGreaterThan(500);
  });
});
