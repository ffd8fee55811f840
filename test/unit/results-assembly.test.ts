// results.json is assembled by one function for `drdrill run` and `drdrill merge`: a merge of the
// shards of a run holds, field by field, what the unsharded run holds (objectives re-applied over all
// runs, the comparison, the summary, the exit code, the warnings); only the run id and argv differ.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mergeCommand } from "../../harness/cli/merge.ts";
import { silentProgress } from "../../harness/model/progress.ts";
import type { RunResult } from "../../harness/model/result.ts";
import type { ResultsFile } from "../../harness/model/results-file.ts";
import { runInvocation } from "../../harness/runner/invocation.ts";
import { planRuns } from "../../harness/runner/plan.ts";
import { assembleResults, scenarioRecord, type ResultsParts } from "../../harness/runner/results-file.ts";
import { parseScenario } from "../../harness/scenario/load.ts";
import { withPlugins } from "../../harness/scenario/registries.ts";
import { resolveReporters } from "../../reports/registry.ts";
import { fakeTarget } from "../fixtures/runner/fake-target.ts";
import { fakeTool } from "../fixtures/runner/fake-tool.ts";
import { tmp } from "../helpers/tmp.ts";
import { resultsFile, run } from "./report-fixture.ts";

/** What results.json has held since schemaVersion 1 (fields may be added, never renamed or dropped). */
const CONTRACT = [
  "schemaVersion",
  "runId",
  "startedAt",
  "finishedAt",
  "argv",
  "environment",
  "scenarios",
  "results",
  "comparison",
  "summary",
  "exitCode",
  "interrupted",
];
/** What names the invocation itself rather than its runs. */
const OWN = ["runId", "argv"];

const SCENARIO = `name: seed-drill
dataset: { size: 1MB, seed: 1 }
tools: [tar-zstd]
steps:
  - backup: full
  - fault: { delete-path: { path: . } }
  - restore: latest
objectives: { rto: "p50 < 2s" }
`;
const FILE = "scenarios/seed/seed-drill.yaml";

async function writeFolder(dir: string, file: ResultsFile): Promise<string> {
  await mkdir(join(dir, "scenarios"), { recursive: true });
  await writeFile(join(dir, "results.json"), JSON.stringify(file));
  await writeFile(join(dir, "journal.jsonl"), "");
  await writeFile(join(dir, "scenarios", "seed-drill.yaml"), SCENARIO);
  return dir;
}

const readResults = async (dir: string) => JSON.parse(await readFile(join(dir, "results.json"), "utf8")) as ResultsFile;

/** Every field but the invocation's own equal, and the same fields in the same order. */
function expectSameRun(merged: ResultsFile, whole: ResultsFile): void {
  expect(Object.keys(merged)).toEqual(Object.keys(whole));
  for (const f of CONTRACT) expect(Object.keys(merged), f).toContain(f);
  for (const [field, value] of Object.entries(whole)) {
    if (!OWN.includes(field)) expect(merged[field as keyof ResultsFile], field).toEqual(value);
  }
}

describe("results.json, from a run and from a merge of its shards", () => {
  it("hand-built runs: two shards merged hold what the unsharded run holds, field by field", async () => {
    const d = await tmp();
    const loaded = parseScenario(FILE, SCENARIO);
    // Four repeats (RTO p50 over all four is 1.6 s: met; over shard 2's alone 2.5 s: missed), and a run that
    // could not run.
    const rto = [1000, 2500, 1600, 5000];
    const runs: RunResult[] = [
      ...rto.map((ms, i) => run({ index: i, repeat: i + 1, metrics: { rtoMs: ms }, objectives: [] })),
      run({
        index: 4,
        tool: "restic",
        label: "restic",
        group: "seed-drill :: restic",
        outcome: "error",
        passed: false,
        reason: "restic: not installed",
        objectives: [],
        metrics: { rtoMs: null, rpoMs: null, backupThroughputBps: null },
      }),
    ];
    const fixture = resultsFile([]);
    const parts = (runId: string, indexes: number[], warnings: string[]): ResultsParts => ({
      runId,
      startedAt: indexes.includes(0) ? "2026-11-26T09:36:39.237Z" : "2026-11-26T09:36:40.000Z",
      finishedAt: indexes.includes(4) ? "2026-11-26T09:40:00.000Z" : "2026-11-26T09:39:00.000Z",
      argv: ["run", FILE],
      environment: fixture.environment,
      scenarios: [scenarioRecord(loaded)],
      results: runs.filter((r) => indexes.includes(r.index)).map((r) => structuredClone(r)),
      parallelJobs: 1,
      interrupted: false,
      warnings,
      thresholdsOf: () => loaded.thresholds,
    });
    const whole = JSON.parse(
      JSON.stringify(assembleResults(parts("whole", [0, 1, 2, 3, 4], ["timings emulated", "a second note"]))),
    ) as ResultsFile;
    const s1 = assembleResults(parts("shard-1", [0, 2, 4], ["timings emulated"]));
    const s2 = assembleResults(parts("shard-2", [1, 3], ["timings emulated", "a second note"]));
    // Each shard judged its objectives over its own runs: shard 2's p50 (2.5 s) missed.
    expect(s2.results.map((r) => r.objectives[0]!.passed)).toEqual([false, false]);

    const out = join(d, "merged");
    const a = await writeFolder(join(d, "s1"), s1);
    const b = await writeFolder(join(d, "s2"), s2);
    const code = await mergeCommand([a, b], out, ["merge", a, b, "--out", out], () => {});
    const merged = await readResults(out);
    expectSameRun(merged, whole);
    expect(code).toBe(whole.exitCode);
    // What that means for a reader: p50 over all four runs, met; the run that could not run makes it exit 3.
    expect(merged.results.map((r) => r.objectives[0]?.passed)).toEqual([true, true, true, true, false]);
    expect(merged.exitCode).toBe(3);
    expect(merged.summary).toEqual({ runs: 5, passed: 4, failed: 1, outcomes: { recovered: 4, error: 1 } });
    expect(merged.warnings).toEqual(["timings emulated", "a second note"]);
  });

  it("a real invocation (fake tool and target) merged alone is the same file but for its run id and argv", async () => {
    const d = await tmp();
    const registries = withPlugins({ targets: { fake: fakeTarget({ stopped: 0 }) }, tools: { fake: fakeTool({}) } });
    const text = `${SCENARIO.replace("tools: [tar-zstd]", "tools: [fake]")}repeat: 2\n`;
    const loaded = parseScenario("jobs.yaml", text, { registries, overrides: { target: "fake" } });
    const plans = planRuns([loaded]);
    const outDir = join(d, "run");
    await mkdir(outDir);
    const ran = await runInvocation({
      argv: ["run", "jobs.yaml"],
      scenarios: [loaded],
      plans,
      outDir,
      reporters: await resolveReporters([]),
      progress: silentProgress,
      signal: new AbortController().signal,
    });
    expect(ran.results.map((r) => r.outcome)).toEqual(["recovered", "recovered"]);
    const whole = await readResults(outDir);
    const out = join(d, "merged");
    await mergeCommand([outDir], out, ["merge"], () => {});
    expectSameRun(await readResults(out), whole);
  });
});
