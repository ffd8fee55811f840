// The lab target's rule on its settings: restoreOnto: site starts the new node in the network of a
// site drdrill stands up, so it needs destination: site without an existing host; said at the line
// of the setting, or at --target-setting when the command line gave it.
import { describe, expect, it } from "vitest";
import { problems, scenario } from "../../helpers/rules.ts";

const STEPS = ["backup: full", "fault: { delete-path: { path: . } }", "restore: latest"];
const lab = (more: string) => scenario("[restic]", STEPS, `target: lab\n${more}`);
const WHY =
  "restoreOnto: site starts the new node in the network of a site drdrill stands up: " +
  "set destination: site (not an existing host)";

describe("lab target rules", () => {
  it("restoreOnto: site needs a site drdrill stands up", () => {
    const onSite = "targetSettings:\n  lab:\n    restoreOnto: site\n";
    expect(problems(lab(onSite))).toEqual([`5:targetSettings.lab.restoreOnto: ${WHY}`]);
    expect(problems(lab(`${onSite}destination: site\n`))).toEqual([]);
    const host = "destination: { site: { host: b.example, identityFile: /k } }\n";
    expect(problems(lab(`${onSite}${host}`))).toEqual([`5:targetSettings.lab.restoreOnto: ${WHY}`]);
    expect(problems(lab("targetSettings: { lab: { restoreOnto: fresh-node } }\n"))).toEqual([]);
  });

  it("given on the command line: said there, once", () => {
    const overrides = { targetSettings: { lab: { restoreOnto: "site" } } };
    expect(problems(lab(""), { overrides })).toEqual([`1:--target-setting lab.restoreOnto: ${WHY}`]);
  });
});
