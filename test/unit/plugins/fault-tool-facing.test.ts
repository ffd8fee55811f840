// The rules of the faults that ask the tool: delete-backups needs a tool that says how to erase its
// backups, lost-key and wrong-passphrase need encryption (and lost-key a key the tool can lose),
// site-loss needs a site B to fail over to.
import { describe, expect, it } from "vitest";
import { problems, scenario } from "../../helpers/rules.ts";

const around = (fault: string) => ["backup: full", `fault: { ${fault} }`, "restore: latest"];

describe("faults that ask the tool", () => {
  it("delete-backups: the tool declares how its backups are erased", () => {
    expect(problems(scenario("[restic]", around("delete-backups: {}")))).toEqual([]);
    expect(problems(scenario("[cp]", around("delete-backups: {}")))).toEqual([
      "5:steps[1].fault.delete-backups: delete-backups does not apply: cp has no way to erase its backups declared",
    ]);
  });

  it("lost-key and wrong-passphrase: the tool encrypts with these settings", () => {
    for (const f of ["lost-key: {}", "wrong-passphrase: {}"]) {
      const name = f.split(":")[0];
      expect(problems(scenario("[restic]", around(f)))).toEqual([]);
      expect(problems(scenario("[{ duplicity: { encryption: none } }]", around(f)))).toEqual([
        `5:steps[1].fault.${name}: ${name} does not apply: duplicity runs without encryption with these settings`,
      ]);
    }
  });

  it("site-loss needs a secondary site", () => {
    expect(problems(scenario("[restic]", around("site-loss: {}")))).toEqual([
      "5:steps[1].fault.site-loss: site-loss needs a secondary site (site B): set destination: site",
    ]);
    expect(problems(scenario("[restic]", around("site-loss: {}"), "destination: site\n"))).toEqual([]);
  });
});
