// Recovery points with a real tool (tar-zstd, local target): three incrementals, the newest one
// corrupted. newest-restorable ends recovered from the second-newest, and the report shows the
// failed point, the tool's words, the point used, its age and the writes lost; latest ends
// detected; a random restore names its seed, and the same seed picks the same point again.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { drdrill, readJson, ROOT } from "../helpers/cli.ts";
import { tmp } from "../helpers/tmp.ts";

describe("recovery points (tar-zstd, local target)", () => {
  it(
    "a corrupt newest incremental: newest-restorable recovers the one before, latest detects it, random names " +
      "its seed",
    async () => {
      const dir = await tmp();
      const base = await readFile(join(ROOT, "scenarios/faults/corrupt-newest-incremental.yaml"), "utf8");
      const variant = (name: string, restore: string, expect: string) =>
        base
          .replace(/^name: .*$/m, `name: ${name}`)
          .replace("restore: newest-restorable", `restore: ${restore}`)
          .replace(/^expect: .*$/m, `expect: ${expect}`)
          .replace(/^objectives: .*$/m, "");
      await writeFile(join(dir, "a.yaml"), base);
      await writeFile(join(dir, "b.yaml"), variant("corrupt-newest-latest", "latest", "detected"));
      await writeFile(
        join(dir, "c.yaml"),
        variant("corrupt-newest-random", "{ random: { seed: 4242 } }", "[recovered, detected]"),
      );
      const out = join(dir, "run");
      const r = await drdrill(["run", dir, "--out", out], { timeoutMs: 300_000 });
      expect(r.exitCode, r.all).toBe(0);
      const results = (await readJson(join(out, "results.json"))).results as any[];
      const by = Object.fromEntries(results.map((x) => [x.scenario, x]));

      const fell = by["corrupt-newest-incremental"];
      expect(fell.outcome, fell.reason).toBe("recovered");
      const rp = fell.recoveryPoint;
      expect(rp).toMatchObject({
        asked: "newest-restorable",
        backup: { number: 3, of: 4, kind: "incremental" },
        fallback: { failedPoints: [4] },
        identicalShare: 1,
      });
      expect(rp.attempts.map((a: any) => [a.backup, a.verdict, a.placed])).toEqual([
        [4, "damaged", false],
        [3, "restored", true],
      ]);
      expect(rp.attempts[0].said).toMatch(/tar-zstd-restore: .*(corruption|Decoding error)/i);
      expect(rp.backup.toolId).toMatch(/^\d{13}-incremental\.tar\.zst$/);
      // Counted, not estimated: the newest record at the disaster less the newest that came back.
      expect(rp.writesLost).toBe(rp.newestWriteAtDisaster.seq - rp.newestWriteSurviving.seq);
      expect(rp.writesLost).toBeGreaterThan(10); // the last load ran 2 s at 10 records a second, and more before it
      expect(rp.ageAtDisasterMs).toBeGreaterThan(rp.fallback.extraRpoMs);
      expect(fell.metrics.rpoMs).toBeGreaterThan(rp.fallback.extraRpoMs);
      expect(fell.objectives.map((o: any) => [o.metric, o.passed])).toEqual([
        ["rpoMs", true],
        ["writesLost", true],
      ]);

      const latest = by["corrupt-newest-latest"];
      expect(latest.outcome, latest.reason).toBe("detected");
      expect(latest.recoveryPoint).toMatchObject({ asked: "latest", backup: null, writesLost: null, fallback: null });
      expect(latest.recoveryPoint.attempts).toHaveLength(1);

      const random = by["corrupt-newest-random"];
      expect(random.recoveryPoint.random).toEqual({ seed: 4242, among: [1, 2, 3, 4] });

      const md = await readFile(join(out, "report.md"), "utf8");
      const line = md
        .split("\n")
        .find(
          (l) => l.startsWith("| ") && l.includes("corrupt-newest-incremental") && l.includes("newest-restorable"),
        )!;
      expect(line).toMatch(
        new RegExp(
          String.raw`backup 3 of 4 \(incremental, \d{13}-incremental\.tar\.zst\) \| [\d.]+ s \| \d+ ` +
            String.raw`\(newest at the disaster #\d+, newest restored #\d+\) \| 100 % .* \| backup 4 ` +
            String.raw`failed; restored from 3 \(\+[\d.]+ s of RPO\) \|`,
        ),
      );
      expect(md).toMatch(/- tried backup 4 .*: damaged — tar-zstd-restore: .*(corruption|Decoding error)/i);
      expect(md).toContain("random (seed 4242, among backups 1, 2, 3, 4)");
      const html = await readFile(join(out, "index.html"), "utf8");
      expect(html).toContain("<strong>Fell back:</strong> backup 4 failed; restored from 3");
    },
  );
});
