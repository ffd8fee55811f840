// `drdrill merge`: sharded run folders become one, with every run, journal line and log, objectives
// re-applied over all runs, and every report re-rendered; a newer results.json is refused.
import { createHash } from "node:crypto";
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mergeCommand } from "../../harness/cli/merge.ts";
import type { RunResult } from "../../harness/model/result.ts";
import type { ResultsFile } from "../../harness/model/results-file.ts";
import { InputError } from "../../harness/model/errors.ts";
import { tmp } from "../helpers/tmp.ts";
import { resultsFile, run } from "./report-fixture.ts";

const SCENARIO = `name: seed-drill
dataset: { size: 1MB, seed: 1 }
tools:
  - duplicity: { encryption: gpg-symmetric, passphrase: { env: DRDRILL_PASSPHRASE }, volsize: 200 }
steps:
  - backup: full
  - fault: { delete-path: { path: . } }
  - restore: latest
expect: recovered
objectives: { rto: "p50 < 2s" }
`;

async function shard(dir: string, runs: RunResult[], runId: string, withScenario = true): Promise<string> {
  const sha256 = createHash("sha256").update(SCENARIO).digest("hex");
  const file = resultsFile(runs, {
    runId,
    scenarios: [{ name: "seed-drill", file: "scenarios/seed/seed-drill.yaml", sha256 }],
  });
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "results.json"), JSON.stringify(file));
  const journal = runs.flatMap((r) => [
    {
      t: 1,
      wall: "2026-11-26T09:36:39.239Z",
      run: r.index,
      type: "run-start",
      scenario: r.scenario,
      tool: r.tool,
      settings: {},
      target: "local",
      repeat: r.repeat,
    },
    {
      t: 2,
      wall: "2026-11-26T09:36:40.239Z",
      run: r.index,
      type: "tool-call",
      kind: "backup",
      label: "duplicity-full",
      command: "duplicity full",
      exitCode: 0,
      signal: null,
      timedOut: false,
      startT: 1,
      endT: 2,
      durationMs: 1,
      peakRssBytes: null,
      cpuMs: null,
      stdoutPath: r.toolCalls[0]!.stdoutLog,
      stderrPath: r.toolCalls[0]!.stderrLog,
    },
  ]);
  await writeFile(join(dir, "journal.jsonl"), journal.map((e) => JSON.stringify(e)).join("\n") + "\n");
  for (const r of runs) {
    const logs = join(dir, `logs/run-${String(r.index + 1).padStart(3, "0")}`);
    await mkdir(logs, { recursive: true });
    await writeFile(join(logs, "003-duplicity-full.stdout.log"), `log of run ${r.index + 1}\n`);
  }
  if (withScenario) {
    await mkdir(join(dir, "scenarios"), { recursive: true });
    await writeFile(join(dir, "scenarios", "seed-drill.yaml"), SCENARIO);
  }
  return dir;
}

describe("drdrill merge", () => {
  it("joins shards in plan order, copies logs and journals, re-applies objectives over all runs", async () => {
    const d = await tmp();
    // shard 1/2 ran plan indexes 0 and 2, shard 2/2 ran 1 and 3; RTO median over the four is 1.5 s
    const rto = [1000, 1400, 1600, 5000];
    const mk = (i: number) => run({ index: i, repeat: i + 1, metrics: { rtoMs: rto[i]! } });
    const a = await shard(join(d, "s1"), [mk(0), mk(2)], "shard-1");
    const b = await shard(join(d, "s2"), [mk(1), mk(3)], "shard-2");
    const out = join(d, "merged");
    const code = await mergeCommand([a, b], out, ["merge", a, b, "--out", out], () => {});
    expect(code).toBe(0);
    const merged = JSON.parse(await readFile(join(out, "results.json"), "utf8")) as ResultsFile;
    expect(merged.results.map((r) => r.metrics.rtoMs)).toEqual(rto);
    expect(merged.summary).toMatchObject({ runs: 4, passed: 4, failed: 0 });
    // p50 over all four runs (1.5 s), not each shard's own
    expect(merged.results[0]!.objectives).toEqual([
      { metric: "rtoMs", threshold: "p50 < 2s", value: 1400, passed: true },
    ]);
    expect(await readdir(join(out, "logs"))).toEqual(["run-001", "run-002", "run-003", "run-004"]);
    expect(await readFile(join(out, "logs/run-004/003-duplicity-full.stdout.log"), "utf8")).toBe("log of run 4\n");
    const journal = (await readFile(join(out, "journal.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(
      journal
        .filter((e) => e.type === "run-start")
        .map((e) => e.run)
        .sort(),
    ).toEqual([0, 1, 2, 3]);
    for (const f of ["report.md", "index.html", "junit.xml"]) expect((await readdir(out)).includes(f), f).toBe(true);
    expect(await readFile(join(out, "index.html"), "utf8")).toContain("All 4 run(s) ended as expected");
  });

  it("renumbers runs of unrelated folders that collide, moving their logs with them", async () => {
    const d = await tmp();
    const a = await shard(join(d, "a"), [run({ index: 0 })], "run-a");
    const b = await shard(join(d, "b"), [run({ index: 0 })], "run-b");
    const out = join(d, "merged");
    await mergeCommand([a, b], out, ["merge"], () => {});
    const merged = JSON.parse(await readFile(join(out, "results.json"), "utf8")) as ResultsFile;
    expect(merged.results.map((r) => r.index)).toEqual([0, 1]);
    expect(merged.results[1]!.toolCalls[0]!.stdoutLog).toBe("logs/run-002/003-duplicity-full.stdout.log");
    expect(await readdir(join(out, "logs"))).toEqual(["run-001", "run-002"]);
  });

  it("keeps each shard's objectives, with a warning, when the scenario as run cannot be found", async () => {
    const d = await tmp();
    const a = await shard(join(d, "a"), [run({ index: 0 })], "run-a", false);
    let warned = "";
    await mergeCommand([a], join(d, "m"), ["merge"], (s) => (warned += s));
    expect(warned).toContain("objectives are kept as they were evaluated");
    const merged = JSON.parse(await readFile(join(d, "m", "results.json"), "utf8")) as ResultsFile;
    expect(merged.results[0]!.objectives).toHaveLength(2);
  });

  it("refuses a results.json from a newer drdrill, the same shard twice, and a non-empty --out", async () => {
    const d = await tmp();
    const a = await shard(join(d, "a"), [run()], "run-a");
    const newer = join(d, "newer");
    await mkdir(newer);
    await writeFile(join(newer, "results.json"), JSON.stringify({ ...resultsFile([run()]), schemaVersion: 2 }));
    const e1 = await mergeCommand([a, newer], join(d, "m1"), [], () => {}).catch((e) => e);
    expect(e1).toBeInstanceOf(InputError);
    expect(e1.message).toContain("schemaVersion: version 2 is newer than this drdrill understands (1)");
    const e2 = await mergeCommand([a, a], join(d, "m2"), [], () => {}).catch((e) => e);
    expect(e2.message).toContain("merge each shard once");
    const e3 = await mergeCommand([a], a, [], () => {}).catch((e) => e);
    expect(e3.message).toContain("--out: must be a new folder");
  });
});
