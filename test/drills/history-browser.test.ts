// `drdrill history` as a team reads it: three real local drills (tar-zstd, a tiny dataset), the second
// held to a restore-time objective it cannot meet; history.html opened offline in headless Chromium
// (Debian's package) shows one chart with the three runs and that breach marked; screenshot saved.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
import { drdrill, readJson, ROOT } from "../helpers/cli.ts";

const CHROMIUM = "/usr/bin/chromium";
/** Kept after the test (drdrill-runs/ is git-ignored) so the page and its screenshot can be looked at. */
const OUT = join(ROOT, "drdrill-runs", "history-browser");

const scenario = (restoreTime: string) =>
  "name: nightly-history\ndataset: { size: 2MB, seed: 1 }\ntools: [tar-zstd]\n" +
  "steps:\n  - backup: full\n  - fault: { delete-path: { path: . } }\n  - restore: latest\n" +
  `  - verify: [files]\nexpect: recovered\nobjectives: { rto: "< 10m", restoreTime: "${restoreTime}" }\n`;

describe.skipIf(!existsSync(CHROMIUM))("drdrill history in a browser", () => {
  it("renders three real run folders; the breach of the second run is the latest one, marked", async () => {
    await rm(OUT, { recursive: true, force: true });
    await mkdir(OUT, { recursive: true });
    const objectives = ["< 10m", "< 1ms", "< 10m"];
    for (const [i, restoreTime] of objectives.entries()) {
      const file = join(OUT, `nightly-${i + 1}.yaml`);
      await writeFile(file, scenario(restoreTime));
      const r = await drdrill(["run", file, "--out", join(OUT, "runs", `night-${i + 1}`)]);
      expect(r.exitCode, r.all).toBe(i === 1 ? 4 : 0);
    }
    const page = join(OUT, "history.html");
    const h = await drdrill(["history", join(OUT, "runs"), "--out", page]);
    expect(h.exitCode, h.all).toBe(0);
    const rows = h.stdout.split("\n").filter((l) => l.startsWith("| 20"));
    expect(rows).toHaveLength(3);
    expect(rows[1]).toContain("latest restore time breach");
    const second = await readJson(join(OUT, "runs", "night-2", "results.json"));
    expect(rows[1]).toContain(second.runId);

    const profile = await mkdtemp(join(tmpdir(), "drdrill-chromium-"));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
      viewport: { width: 1000, height: 800 },
    });
    try {
      const tab = await context.newPage();
      const fetched: string[] = [];
      await tab.route("**/*", (route) => {
        const url = route.request().url();
        if (url.startsWith("file:")) return route.continue();
        fetched.push(url);
        return route.abort();
      });
      await context.setOffline(true);
      await tab.goto(`file://${page}`);
      const chart = tab.locator("section.scenario svg.history-chart");
      expect(await chart.count()).toBe(1);
      const box = await chart.boundingBox();
      expect(box!.width).toBeGreaterThan(500);
      expect(box!.height).toBeGreaterThan(150);
      expect(await tab.locator("section.scenario h2").textContent()).toBe("nightly-history");
      expect(await tab.locator("svg rect.outcome").count()).toBe(3);
      // the restore-time line has a point per run; the second run's is the circled latest breach
      expect(await tab.locator('polyline[data-metric="restoreMs"]').getAttribute("points")).toMatch(/^\S+ \S+ \S+$/);
      expect(await tab.locator('circle.latest-breach[data-metric="restoreMs"]').count()).toBe(1);
      const cells = tab.locator("section.scenario table tbody tr");
      expect(await cells.count()).toBe(3);
      expect(await cells.nth(1).locator("td.latest-breach").count()).toBe(1);
      expect(await cells.nth(1).textContent()).toContain("latest restore time breach");
      await tab.screenshot({ path: join(OUT, "history.png"), fullPage: true });
      expect((await readFile(join(OUT, "history.png"))).subarray(1, 4).toString()).toBe("PNG");
      expect(fetched).toEqual([]);
    } finally {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    }
  });
});
