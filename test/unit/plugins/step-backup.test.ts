// The backup step's rules: an incremental needs a full backup before it, and a tool that can take one.
import { describe, expect, it } from "vitest";
import { problems, scenario } from "../../helpers/rules.ts";

describe("backup step rules", () => {
  it("an incremental needs a full backup before it (a scheduled full counts)", () => {
    expect(problems(scenario("[restic]", ["backup: incremental", "backup: full"]))).toEqual([
      "4:steps[0].backup: an incremental backup needs a full backup before it",
    ]);
    expect(
      problems(scenario("[restic]", ["schedule: { for: 2s, every: 1s, backup: full }", "backup: incremental"])),
    ).toEqual([]);
    expect(problems(scenario("[restic]", ["backup: full", "backup: incremental"]))).toEqual([]);
  });

  it("an incremental is refused for a tool that cannot take one, naming the tools entry", () => {
    expect(problems(scenario("[restic, cp]", ["backup: full", "backup: incremental"]))).toEqual([
      expect.stringMatching(/^5:steps\[1\]\.backup: cp .*\(tools\[1\]: cp\)$/),
    ]);
    // --tool restic leaves cp out: its rule is not judged
    expect(
      problems(scenario("[restic, cp]", ["backup: full", "backup: incremental"]), { overrides: { tools: ["restic"] } }),
    ).toEqual([]);
  });
});
