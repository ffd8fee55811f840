// disk-full's rules: it needs a target that can mount a small file system (not the lab), and a
// file system smaller than the data as the run seeds it (--size included).
import { describe, expect, it } from "vitest";
import { problems, scenario } from "../../helpers/rules.ts";

const steps = (params: string) => ["backup: full", `fault: { disk-full: ${params} }`, "restore: latest"];

describe("disk-full rules", () => {
  it("needs a small file system, which the lab target cannot mount", () => {
    expect(problems(scenario("[restic]", steps("{}")))).toEqual([]);
    expect(problems(scenario("[restic]", steps("{}"), "target: lab\n"))).toEqual([
      "6:steps[1].fault.disk-full: disk-full needs a small file system for the restore (a size-limited tmpfs), " +
        "which the lab target cannot mount (target: local or ssh or vm can)",
    ]);
    // the command line's target is the one judged
    expect(problems(scenario("[restic]", steps("{}")), { overrides: { target: "lab" } })).toHaveLength(1);
    expect(problems(scenario("[restic]", steps("{}"), "target: lab\n"), { overrides: { target: "local" } })).toEqual(
      [],
    );
  });

  it("a file system that holds the whole data never fills: refused, with the size as the run seeds it", () => {
    const text = scenario("[restic]", steps("{ size: 8MB }"), "dataset: { size: 4MB }\n");
    expect(problems(text)).toEqual([
      expect.stringMatching(/^6:steps\[1\]\.fault\.disk-full\.size: a 8\.00 MB file system holds the 4\.00 MB of data/),
    ]);
    expect(problems(text, { overrides: { sizeBytes: 16e6 } })).toEqual([]);
  });
});
