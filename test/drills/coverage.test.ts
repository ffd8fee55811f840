// drdrill coverage with real restic: a flipped data pack passes the light check and fails the deep one,
// and the matrix says so in coverage.json and coverage.md (about 40 s on a quiet machine).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { drdrill, readJson } from "../helpers/cli.ts";
import { tmp } from "../helpers/tmp.ts";

describe("drdrill coverage", () => {
  it("restic: corrupt-archive is missed by the light check and caught by the deep one", async () => {
    const out = join(await tmp(), "coverage");
    const r = await drdrill(["coverage", "--tool", "restic", "--fault", "corrupt-archive", "--out", out], {
      timeoutMs: 300_000,
    });
    expect(r.exitCode, r.all).toBe(0);
    const m = await readJson(join(out, "coverage.json"));
    const row = m.rows.find((x: any) => x.tool === "restic" && x.fault === "corrupt-archive");
    expect(row.cells.light.verdict).toBe("missed");
    expect(row.cells.deep.verdict).toBe("caught");
    expect(row.cells.deep.said).toMatch(/repository contains errors|Pack ID does not match|ciphertext/);
    // the deep check read the data (several MiB), the light one only the index and trees
    expect(row.cells.deep.readBytes).toBeGreaterThan(4 * 1024 * 1024);
    expect(row.cells.light.readBytes).toBeLessThan(row.cells.deep.readBytes / 4);
    expect(Object.keys(row.cells)).toEqual(expect.arrayContaining(["light", "sample", "deep", "restore"]));
    expect(m.cheapest.restic.way).not.toBe("light");
    const md = await readFile(join(out, "coverage.md"), "utf8");
    expect(md).toMatch(/\| corrupt-archive \| MISSED .* \| CAUGHT /);
    expect(await readFile(join(out, "coverage.html"), "utf8")).toContain("<h2>restic</h2>");
  });

  it("an unknown tool or fault is refused with exit 2 naming the option", async () => {
    const r = await drdrill(["coverage", "--tool", "nosuch", "--fault", "kill-backup"]);
    expect(r.exitCode).toBe(2);
    expect(r.all).toMatch(/--tool.*unknown tool "nosuch"/);
    expect(r.all).toMatch(/--fault.*"kill-backup" is not an archive fault/);
  });
});
