// `drdrill plan` as a CI job uses it: the runs of a shard as JSON, the shards' expected work, the
// same split `drdrill run --shard` makes, a previous results.json steering it, and bad input refused.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildPlan } from "../../harness/cli/plan.ts";
import { InputError } from "../../harness/model/errors.ts";
import { planRuns } from "../../harness/runner/plan.ts";
import { loadScenarios } from "../../harness/scenario/load.ts";
import { tmp } from "../helpers/tmp.ts";
import { resultsFile, run } from "./report-fixture.ts";

describe("drdrill plan", () => {
  it("--shard 2/3 --json: that shard's runs, each with its expected duration, and every shard's load", async () => {
    const plan = await buildPlan(["scenarios/faults"], { shard: "2/3", json: true });
    expect(plan.shard).toEqual({ index: 2, count: 3 });
    expect(plan.shards.map((s) => s.index)).toEqual([1, 2, 3]);
    expect(plan.runs.length).toBeGreaterThan(0);
    for (const r of plan.runs)
      expect(r).toMatchObject({ shard: 2, expectedFrom: "estimate", expectedMs: expect.any(Number) });
    expect(plan.expectedMs).toBe(plan.shards[1]!.expectedMs);
    // what `drdrill run --shard 2/3` would run
    const runs = planRuns(await loadScenarios(["scenarios/faults"]), { shard: { index: 2, count: 3 } });
    expect(plan.runs.map((r) => r.index)).toEqual(runs.map((r) => r.index));
  });

  it("--shards N lists every run with its shard; --durations lets measured durations decide", async () => {
    const all = await buildPlan(["scenarios/seed"], { shards: "2" });
    expect(all.runs.map((r) => r.shard).sort()).toContain(2);
    const dir = await tmp();
    const slowGroup = all.runs[0]!.group;
    const previous = resultsFile(
      all.runs.map((r, i) =>
        run({
          index: i,
          group: r.group,
          phases: [{ name: "cleanup", startMs: 0, endMs: r.group === slowGroup ? 3_600_000 : 1000, ok: true }],
        }),
      ),
    );
    await writeFile(join(dir, "results.json"), JSON.stringify(previous));
    const steered = await buildPlan(["scenarios/seed"], { shards: "2", durations: dir });
    const slow = steered.runs.find((r) => r.group === slowGroup)!;
    expect(slow).toMatchObject({ expectedMs: 3_600_000, expectedFrom: "previous run" });
    expect(steered.runs.filter((r) => r.shard === slow.shard)).toHaveLength(1);
  });

  it("refuses a shard that is not I/N, and a --durations that is not a run", async () => {
    await expect(buildPlan(["scenarios/seed"], { shard: "4/3" })).rejects.toThrow(InputError);
    await expect(buildPlan(["scenarios/seed"], { shard: "2/3", durations: "/nonexistent" })).rejects.toThrow(
      /--durations/,
    );
  });
});
