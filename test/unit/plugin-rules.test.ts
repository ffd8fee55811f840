// How plug-ins carry their rules, shown with plug-ins made here and added through withPlugins (as a
// new file and a registry line would add them): a step's ordering rule and the restore points it
// makes, what it says of the run (the outcomes that pass, its duration), and a fault's need of an
// ability, judged against the target the command line names.
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { defineFault } from "../../harness/faults/fault.ts";
import { defineAbility } from "../../harness/rules/ability.ts";
import { expectedDurations } from "../../harness/runner/estimate.ts";
import { planRuns } from "../../harness/runner/plan.ts";
import { parseScenario } from "../../harness/scenario/load.ts";
import { withPlugins } from "../../harness/scenario/registries.ts";
import { defineStep } from "../../harness/steps/step.ts";
import { problems, scenario } from "../helpers/rules.ts";

/** A step that takes a backup by other means (a snapshot), and must come after a load. */
const snapshot = defineStep({
  name: "snapshot",
  description: "A snapshot, after a load.",
  schema: z.literal("now"),
  points: () => ({ fewest: 1, most: 1, full: true }),
  validate: (_p, ctx) =>
    ctx.scenario.steps.slice(0, ctx.index).some((s) => s.kind === "load")
      ? []
      : [{ message: "a snapshot comes after a load step" }],
  run: async () => ({ ok: true, changes: {} }),
});

const freezer = defineAbility<() => Promise<void>>({
  name: "freezer",
  what: "a clock that can be frozen",
  verb: "freeze",
});

const freeze = defineFault({
  name: "freeze-clock",
  description: "Freeze the target's clock.",
  params: z.object({}).strict(),
  expect: ["recovered"],
  needs: [freezer],
  inject: async () => ({ effects: {} }),
});

describe("plug-ins carry their rules", () => {
  it("a new step's ordering rule is its own, and the restore counts the points it makes", () => {
    const registries = withPlugins({ steps: { snapshot } });
    expect(problems(scenario("[restic]", ["snapshot: now", "load: 1s", "restore: latest"]), { registries })).toEqual([
      "4:steps[0].snapshot: a snapshot comes after a load step",
    ]);
    expect(problems(scenario("[restic]", ["load: 1s", "snapshot: now", "restore: latest"]), { registries })).toEqual(
      [],
    );
  });

  it("a new step says what passes after it and how long it takes: the runner asks it, naming no step", () => {
    const drain = defineStep({
      name: "drain",
      description: "Drain the queue; the data may be lost.",
      schema: z.literal("queue"),
      expects: () => [["failed", "detected"]],
      estimateMs: () => 60_000,
      run: async () => ({ ok: true, changes: {} }),
    });
    const registries = withPlugins({ steps: { drain } });
    const text = scenario("[restic]", ["backup: full", "drain: queue", "restore: latest"]);
    const loaded = parseScenario("t.yaml", text, { registries });
    expect(loaded.expected).toEqual(["failed", "detected"]);
    const without = parseScenario("t.yaml", scenario("[restic]", ["backup: full", "restore: latest"]));
    const ms = (l: typeof loaded) => expectedDurations(planRuns([l])).get(0)!.ms;
    expect(ms(loaded) - ms(without)).toBe(60_000);
  });

  it("a fault's need nobody provides is refused, naming the targets that do", () => {
    const lab = { ...withPlugins({}).targets.lab!, provides: [freezer] };
    const registries = withPlugins({ faults: { [freeze.name]: freeze }, targets: { lab } });
    const text = scenario("[restic]", ["backup: full", "fault: { freeze-clock: {} }", "restore: latest"]);
    expect(problems(text, { registries })).toEqual([
      "5:steps[1].fault.freeze-clock: freeze-clock needs a clock that can be frozen, which the local target " +
        "cannot freeze (target: lab can)",
    ]);
    expect(problems(text, { registries, overrides: { target: "lab" } })).toEqual([]);
  });

  it("an ability no target has, and no hint: said so", () => {
    const registries = withPlugins({ faults: { [freeze.name]: freeze } });
    const text = scenario("[restic]", ["backup: full", "fault: { freeze-clock: {} }", "restore: latest"]);
    expect(problems(text, { registries })).toEqual([
      "5:steps[1].fault.freeze-clock: freeze-clock needs a clock that can be frozen: nothing in this run provides it",
    ]);
  });
});
