// The schedule step's rules: an interval (its own or the sweep's), a full backup before scheduled
// incrementals, and a tool that can take them.
import { describe, expect, it } from "vitest";
import { problems, scenario } from "../../helpers/rules.ts";

describe("schedule step rules", () => {
  it("needs `every`, or the scenario's sweep.every", () => {
    expect(problems(scenario("[restic]", ["backup: full", "schedule: { for: 10s }"]))).toEqual([
      "5:steps[1].schedule.every: a schedule needs `every`, or the scenario's sweep.every",
    ]);
    expect(
      problems(scenario("[restic]", ["backup: full", "schedule: { for: 10s }"], "sweep: { every: [2s] }\n")),
    ).toEqual([]);
  });

  it("scheduled incrementals need a full backup before them, and a tool that takes incrementals", () => {
    expect(problems(scenario("[restic]", ["schedule: { for: 4s, every: 1s }"]))).toEqual([
      "4:steps[0].schedule: scheduled incremental backups need a full backup before them",
    ]);
    expect(problems(scenario("[cp]", ["backup: full", "schedule: { for: 4s, every: 1s }"]))).toEqual([
      expect.stringMatching(/^5:steps\[1\]\.schedule: cp .*\(tools\[0\]: cp\)$/),
    ]);
  });
});
