// The stores at site B carry their rules: sftp refuses a tool that cannot write over SSH (cp), a
// store made here (as a new file and a registry line would add it) refuses a tool it cannot hold and
// names what it provides; a store the registry does not hold is refused at its line.
import { describe, expect, it } from "vitest";
import { defineAbility } from "../../../harness/rules/ability.ts";
import { withPlugins } from "../../../harness/scenario/registries.ts";
import { defineStore } from "../../../harness/stores/store.ts";
import { problems, scenario } from "../../helpers/rules.ts";

const STEPS = ["backup: full", "restore: latest"];

const bucketPolicy = defineAbility<() => Promise<void>>({
  name: "bucket-policy",
  what: "a bucket's write-once policy",
});

/** An object store that holds only what speaks its protocol (here: not borg), and has a policy to give. */
const objects = defineStore({
  name: "objects",
  description: "An object store.",
  provides: [bucketPolicy],
  validate: (_site, ctx) =>
    ctx.tool.name === "borg" ? [{ message: "borg writes over SSH only, not to an object store" }] : [],
  start: () => Promise.reject(new Error("not started in a rule test")),
});

describe("store rules", () => {
  it("sftp (the default) refuses a tool that cannot write to a site", () => {
    expect(problems(scenario("[cp, restic]", STEPS, "destination: site\n"))).toEqual([
      "3:tools[0]: cp makes copies on the target's own file system only; use tar-zstd for a plain copy to a site " +
        "(destination: site)",
    ]);
    expect(problems(scenario("[restic]", STEPS, "destination: { site: { store: sftp } }\n"))).toEqual([]);
  });

  it("a store the registry does not hold is refused at its line", () => {
    const text = scenario("[restic]", STEPS, "destination:\n  site:\n    store: swift\n");
    expect(problems(text)).toEqual(['4:destination.site.store: Invalid input: expected "sftp"']);
  });

  it("a new store is a plug-in: its rule judges each tools entry, at its field; what it provides is there", () => {
    const registries = withPlugins({ stores: { objects } });
    const text = scenario("[restic, borg]", STEPS, "destination:\n  site:\n    store: objects\n");
    expect(problems(text, { registries })).toEqual([
      "4:destination.site.store: borg writes over SSH only, not to an object store",
    ]);
    expect(
      problems(scenario("[restic]", STEPS, "destination: { site: { store: objects } }\n"), { registries }),
    ).toEqual([]);
  });
});
