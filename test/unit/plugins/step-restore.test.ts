// The restore step's rules: a point exists before it (a backup step, a schedule that takes one),
// backup:N names one taken before it, and an earlier point needs a tool that restores one.
import { describe, expect, it } from "vitest";
import { problems, scenario } from "../../helpers/rules.ts";

describe("restore step rules", () => {
  it("restore comes after a point: a backup, or a schedule that takes at least one", () => {
    expect(problems(scenario("[restic]", ["restore: latest", "backup: full"]))).toEqual([
      "4:steps[0].restore: restore comes before any backup",
    ]);
    expect(
      problems(scenario("[restic]", ["schedule: { for: 3s, every: 1s, backup: full }", "restore: latest"])),
    ).toEqual([]);
    // a schedule shorter than its interval takes no backup
    expect(
      problems(scenario("[restic]", ["schedule: { for: 1s, every: 5s, backup: full }", "restore: latest"])),
    ).toEqual(["5:steps[1].restore: restore comes before any backup"]);
  });

  it("backup:N must be taken before the restore, in every swept run", () => {
    const steps = ["backup: full", "schedule: { for: 10s }", "restore: { at: 'backup:4' }"];
    expect(problems(scenario("[restic]", steps, "sweep: { every: [2s, 5s] }\n"))).toEqual([
      "7:steps[2].restore.at: backup:4 does not exist: at most 3 backup(s) are taken before this restore",
    ]);
    expect(problems(scenario("[restic]", steps, "sweep: { every: [2s, 3s] }\n"))).toEqual([]);
  });

  it("an earlier point needs a tool that restores one", () => {
    const text = scenario("[lsyncd]", ["backup: full", "restore: newest-restorable"], "destination: site\n");
    expect(problems(text)).toEqual([
      "6:steps[1].restore: lsyncd cannot restore an earlier backup (restore: newest-restorable) (tools[0]: lsyncd)",
    ]);
  });
});
