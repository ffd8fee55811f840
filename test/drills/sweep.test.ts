// The backup-interval sweep: achieved RPO follows the interval of scheduled incremental backups.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { drdrill, readJson } from "../helpers/cli.ts";
import { tmp } from "../helpers/tmp.ts";

describe("interval sweep", () => {
  it("one run per interval, each labelled; RPO stays within its interval (plus a backup's time)", async () => {
    const dir = await tmp();
    const file = join(dir, "sweep.yaml");
    await writeFile(
      file,
      "name: sweep\ndataset: { size: 4MB }\nmode: hot\nsweep: { every: [2s, 6s] }\ntools: " +
        "[duplicity]\nsteps:\n  - backup: full\n  - schedule: { for: 13s }\n  - fault: { delete-path: { path: . " +
        "} }\n  - restore: latest\n  - verify: [files, services]\n",
    );
    const out = join(dir, "run");
    const r = await drdrill(["run", file, "--out", out]);
    expect(r.exitCode, r.all).toBe(0);
    const results = (await readJson(join(out, "results.json"))).results as any[];
    expect(results.map((x) => x.intervalMs)).toEqual([2000, 6000]);
    expect(results.map((x) => x.label.split(" ").at(-1))).toEqual(["every=2s", "every=6s"]);
    for (const x of results) {
      expect(x.outcome).toBe("recovered");
      const backups = x.toolCalls.filter((c: any) => c.kind === "backup");
      // one full, then one per interval tick (an overrunning backup delays the next)
      expect(backups.length).toBeGreaterThanOrEqual(1 + Math.floor(13_000 / x.intervalMs) - 1);
      expect(x.metrics.rpoMs).toBeLessThan(x.intervalMs + 10_000);
    }
  });
});
