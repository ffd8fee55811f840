// A merge is the same as one run: the same scenarios run unsharded and as three shards at once on
// this machine (real tools, local target); each shard runs what `drdrill plan --shard I/3` says;
// the merged results.json holds the same runs (scenario, tool, settings, repeat) with the same
// outcomes as the unsharded one, and report.md, index.html and junit.xml are rendered from it.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { drdrill, readJson, ROOT } from "../helpers/cli.ts";
import { tmp } from "../helpers/tmp.ts";

const SMALL = `name: small-seed
dataset: { size: 3MB, seed: 5 }
repeat: 2
tools: [tar-zstd, cp]
steps:
  - backup: full
  - load: 1s
  - fault: { delete-path: { path: . } }
  - restore: latest
  - verify: [files, services]
expect: recovered
`;

const CORRUPT = `name: small-corrupt
dataset: { size: 3MB, seed: 6 }
tools: [tar-zstd]
steps:
  - backup: full
  - fault: { corrupt-archive: { volume: 0, bytes: 64 } }
  - fault: { delete-path: { path: . } }
  - restore: latest
expect: detected
`;

const key = (r: any) => JSON.stringify([r.scenario, r.tool, r.settings, r.repeat]);

describe("sharded runs merged", () => {
  it("three shards at once, merged, hold the same runs with the same outcomes as one unsharded run", async () => {
    const dir = await tmp();
    await writeFile(join(dir, "small-seed.yaml"), SMALL);
    await writeFile(join(dir, "small-corrupt.yaml"), CORRUPT);
    await writeFile(
      join(dir, "newest.yaml"),
      (await readFile(join(ROOT, "scenarios/faults/corrupt-newest-incremental.yaml"), "utf8")).replace(
        "size: 4MB",
        "size: 3MB",
      ),
    );
    const shards = [1, 2, 3];
    const planned = await Promise.all(
      shards.map(async (i) => {
        const p = await drdrill(["plan", dir, "--shard", `${i}/3`, "--json"]);
        expect(p.exitCode, p.all).toBe(0);
        return JSON.parse(p.stdout) as { runs: { index: number }[] };
      }),
    );
    const whole = await drdrill(["run", dir, "--out", join(dir, "whole")], { timeoutMs: 600_000 });
    expect(whole.exitCode, whole.all).toBe(0);
    const parts = await Promise.all(
      shards.map((i) =>
        drdrill(["run", dir, "--shard", `${i}/3`, "--out", join(dir, `shard-${i}`)], { timeoutMs: 600_000 }),
      ),
    );
    for (const p of parts) expect(p.exitCode, p.all).toBe(0);
    for (const i of shards) {
      const ran = (await readJson(join(dir, `shard-${i}`, "results.json"))).results.map((r: any) => r.index);
      expect(ran, `shard ${i}`).toEqual(planned[i - 1]!.runs.map((r) => r.index));
    }
    const merge = await drdrill(["merge", ...shards.map((i) => join(dir, `shard-${i}`)), "--out", join(dir, "merged")]);
    expect(merge.exitCode, merge.all).toBe(0);

    const one = await readJson(join(dir, "whole", "results.json"));
    const merged = await readJson(join(dir, "merged", "results.json"));
    expect(one.results).toHaveLength(6);
    const view = (rs: any[]) => rs.map((r) => [r.index, key(r), r.outcome, r.passed]).sort();
    expect(view(merged.results)).toEqual(view(one.results));
    expect(merged.summary).toEqual(one.summary);
    expect(merged.exitCode).toBe(one.exitCode);
    for (const r of merged.results) expect(r.recoveryPoint.attempts.length, key(r)).toBeGreaterThan(0);

    // The reports are rendered from the merged results.json: its run id, every run, nothing else.
    const md = await readFile(join(dir, "merged", "report.md"), "utf8");
    expect(md).toContain(`# drdrill report ${merged.runId}`);
    const rows = md
      .slice(md.indexOf("## Runs"), md.indexOf("RTO: fault"))
      .split("\n")
      .filter((l) => /^\| \d+ \|/.test(l));
    expect(rows).toHaveLength(6);
    const html = await readFile(join(dir, "merged", "index.html"), "utf8");
    expect(html).toContain(merged.runId);
    expect(html.match(/<tr class="tone-\w+" data-run="run-\d+">/g)).toHaveLength(6);
    const junit = await readFile(join(dir, "merged", "junit.xml"), "utf8");
    expect(junit).toContain(`<testsuites name="drdrill ${merged.runId}" tests="6" failures="0" errors="0">`);
    expect(junit.match(/<testcase /g)).toHaveLength(6);
  });
});
