import { describe, expect, it } from "vitest";
import { planRuns } from "../../harness/runner/plan.ts";
import { parseScenario } from "../../harness/scenario/load.ts";

const s = parseScenario(
  "m.yaml",
  "name: m\nrepeat: 2\nsweep: { every: [5s, 15s] }\ntools:\n  - duplicity: {}\n  - duplicity: { encryption: none, volsize: 25 }\nsteps:\n  - backup: full\n  - schedule: { for: 30s }\n",
);

describe("run plan", () => {
  it("expands tools x sweep x repeat, labels runs by the settings that differ from the defaults", () => {
    const plans = planRuns([s]);
    expect(plans).toHaveLength(8);
    expect([...new Set(plans.map((p) => p.label))]).toEqual([
      "duplicity every=5s",
      "duplicity every=15s",
      "duplicity encryption=none volsize=25 every=5s",
      "duplicity encryption=none volsize=25 every=15s",
    ]);
    expect(plans.filter((p) => p.group === "m :: duplicity every=5s").map((p) => p.repeat)).toEqual([1, 2]);
    expect(plans.map((p) => p.intervalMs)).toEqual([5000, 5000, 15000, 15000, 5000, 5000, 15000, 15000]);
  });
  it("--repeat overrides, --tool filters, --shard slices", () => {
    expect(planRuns([s], { repeat: 1 })).toHaveLength(4);
    expect(planRuns([s], { tools: ["restic"] })).toHaveLength(0);
    const a = planRuns([s], { shard: { index: 1, count: 3 } }).map((p) => p.index);
    const b = planRuns([s], { shard: { index: 2, count: 3 } }).map((p) => p.index);
    const c = planRuns([s], { shard: { index: 3, count: 3 } }).map((p) => p.index);
    expect([...a, ...b, ...c].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(a).toEqual([0, 3, 6]);
  });
});
