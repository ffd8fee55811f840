// The rules about a scenario as a whole (scenario/schema.ts): a tools entry given twice is refused
// naming both; expectFor names one of the scenario's tools; thresholds that cannot fail are refused.
import { describe, expect, it } from "vitest";
import { problems, scenario } from "../../helpers/rules.ts";

describe("scenario-wide rules", () => {
  it("the same tools entry twice (same tool, same settings) is refused, naming both entries", () => {
    expect(problems(scenario("[tar-zstd, tar-zstd]", ["backup: full"]))).toEqual([
      "2:tools[1]: tools[0] and tools[1] are both tar-zstd with the same settings: " +
        "each entry runs once; remove one (or change its settings)",
    ]);
    // defaults count: `{}` is the same entry as the bare name; other settings are another entry
    expect(problems(scenario("[restic, { restic: {} }]", ["backup: full"]))).toHaveLength(1);
    expect(problems(scenario("[borg, { borg: { compression: zstd } }]", ["backup: full"]))).toEqual([]);
  });

  it("expectFor names a tool of the scenario", () => {
    expect(problems(scenario("[restic]", ["backup: full"], "expectFor: { borg: failed }\n"))).toEqual([
      '2:expectFor.borg: "borg" is not one of this scenario\'s tools',
    ]);
  });

  it.each([
    ["rto", "< 0s", "can never hold"],
    ["rpo", "<= 0s", null],
    ["backupThroughput", ">= 0MB/s", "always holds"],
    ["writesLost", "< 0", "can never hold"],
  ])("objective %s: %s", (metric, text, refused) => {
    const found = problems(scenario("[restic]", ["backup: full"], `objectives: { ${metric}: "${text}" }\n`));
    if (refused === null) expect(found).toEqual([]);
    else expect(found).toEqual([expect.stringContaining(`2:objectives.${metric}: "${text}" ${refused}`)]);
  });
});
