// RTO at production size, checked against the truth: a sweep of 3 sizes projects the restore time at
// 4x the largest, and a real run at that size lands within 25 % (tar-zstd and restic). The sizes are
// large enough that a restore is more than its fixed start-up cost; two runs per size (the fit is over all six).
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { drdrill, readJson } from "../helpers/cli.ts";
import { tmp } from "../helpers/tmp.ts";

const SIZES = ["48MB", "96MB", "144MB"];
const AT = "576MB";
const body = (name: string, size: string, extra: string) =>
  `name: ${name}\ndataset: { size: ${size}, seed: 31 }\n${extra}tools: [tar-zstd, restic]\n` +
  "steps:\n  - backup: full\n  - fault: { delete-path: { path: . } }\n  - restore: latest\n  - verify: [files]\n";

describe("projection", () => {
  it("3 swept sizes project the restore time at 4x within 25 % of a real run there", async () => {
    const dir = await tmp();
    const sweep = `sweep: { size: [${SIZES.join(", ")}] }\nproject: { size: ${AT} }\nrepeat: 2\n`;
    await writeFile(join(dir, "a-sweep.yaml"), body("sweep", SIZES[0]!, sweep));
    await writeFile(join(dir, "b-real.yaml"), body("real", AT, ""));
    const out = join(dir, "run");
    const r = await drdrill(["run", join(dir, "a-sweep.yaml"), join(dir, "b-real.yaml"), "--out", out], {
      timeoutMs: 600_000,
    });
    expect(r.exitCode, r.all).toBe(0);
    const f = await readJson(join(out, "results.json"));
    const errors: string[] = [];
    for (const tool of ["tar-zstd", "restic"]) {
      const p = f.projection.find((x: any) => x.tool === tool);
      expect(p.atBytes).toBe(576_000_000);
      expect(p.points).toHaveLength(6);
      expect(p.model).toMatch(/linear in bytes/);
      const real = f.results.find((x: any) => x.scenario === "real" && x.tool === tool);
      const err = (p.restoreMs - real.metrics.restoreMs) / real.metrics.restoreMs;
      const pts = p.points.map((x: any) => `${x.bytes / 1e6}MB=${Math.round(x.restoreMs)}`).join(" ");
      errors.push(
        `${tool} (${pts}): projected ${p.restoreMs} ms, real ${Math.round(real.metrics.restoreMs)} ms, error ${(err * 100).toFixed(1)} %`,
      );
      expect(Math.abs(err), errors.join("; ")).toBeLessThan(0.25);
    }
    console.log(`projection error: ${errors.join("; ")}`);
    expect(await (await import("node:fs/promises")).readFile(join(out, "report.md"), "utf8")).toContain(
      "## Projection",
    );
  });
});
