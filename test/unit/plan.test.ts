import { describe, expect, it } from "vitest";
import type { RunResult } from "../../harness/model/result.ts";
import { expectedDurations } from "../../harness/runner/estimate.ts";
import { planRuns } from "../../harness/runner/plan.ts";
import { splitShards } from "../../harness/runner/shard.ts";
import type { InputError } from "../../harness/model/errors.ts";
import { parseScenario } from "../../harness/scenario/load.ts";

const TEXT = `name: m
repeat: 2
sweep: { every: [5s, 15s] }
tools:
  - duplicity: {}
  - duplicity: { encryption: none, volsize: 25 }
steps:
  - backup: full
  - schedule: { for: 30s }
`;
const s = parseScenario("m.yaml", TEXT);

describe("run plan", () => {
  it("expands tools x sweep x repeat, labels runs by the settings that differ from the defaults or vary", () => {
    const plans = planRuns([s]);
    expect(plans).toHaveLength(8);
    expect([...new Set(plans.map((p) => p.label))]).toEqual([
      "duplicity encryption=gpg-symmetric volsize=200 every=5s",
      "duplicity encryption=gpg-symmetric volsize=200 every=15s",
      "duplicity encryption=none volsize=25 every=5s",
      "duplicity encryption=none volsize=25 every=15s",
    ]);
    expect(
      plans
        .filter((p) => p.group === "m :: duplicity encryption=gpg-symmetric volsize=200 every=5s")
        .map((p) => p.repeat),
    ).toEqual([1, 2]);
    expect(plans.map((p) => p.intervalMs)).toEqual([5000, 5000, 15000, 15000, 5000, 5000, 15000, 15000]);
  });
  it("--repeat overrides, --tool filters", () => {
    expect(planRuns([parseScenario("m.yaml", TEXT, { overrides: { repeat: 1 } })])).toHaveLength(4);
    expect(planRuns([parseScenario("m.yaml", TEXT, { overrides: { tools: ["restic"] } })])).toHaveLength(0);
  });

  it("--shard: the shards share no run, miss none, keep plan order and are balanced by expected duration", () => {
    const all = planRuns([s]);
    const shards = [1, 2, 3].map((index) => planRuns([s], { shard: { index, count: 3 } }));
    expect(shards.flatMap((sh) => sh.map((p) => p.index)).sort((a, b) => a - b)).toEqual(all.map((p) => p.index));
    for (const sh of shards) expect(sh.map((p) => p.index)).toEqual([...sh.map((p) => p.index)].sort((a, b) => a - b));
    const expected = expectedDurations(all);
    const load = shards.map((sh) => sh.reduce((t, p) => t + expected.get(p.index)!.ms, 0));
    const longest = Math.max(...[...expected.values()].map((e) => e.ms));
    expect(Math.max(...load) - Math.min(...load)).toBeLessThanOrEqual(longest);
    // the every=5s runs take more backups than the every=15s ones: the estimate knows it
    expect(expected.get(0)!.ms).toBeGreaterThan(expected.get(2)!.ms);
    // the same split every time
    expect(planRuns([s], { shard: { index: 2, count: 3 } }).map((p) => p.index)).toEqual(
      shards[1]!.map((p) => p.index),
    );
  });

  it("--shard with a previous results.json: each group's measured duration decides", () => {
    const all = planRuns([s]);
    // One group took ten minutes last time, the others a second: it gets a shard of its own.
    const previous = all.map((p) => ({
      group: p.group,
      phases: [{ name: "cleanup", startMs: 0, endMs: p.group === all[6]!.group ? 600_000 : 1000, ok: true }],
    })) as unknown as RunResult[];
    const slow = all.filter((p) => p.group === all[6]!.group).map((p) => p.index);
    expect(expectedDurations(all, previous).get(slow[0]!)).toEqual({ ms: 600_000, from: "previous run" });
    const shards = [1, 2, 3].map((index) =>
      planRuns([s], { shard: { index, count: 3 }, previous }).map((p) => p.index),
    );
    expect(
      shards
        .filter((sh) => sh.some((i) => slow.includes(i)))
        .map((sh) => sh.length)
        .sort(),
    ).toEqual([1, 1]);
  });

  it("splitShards: longest first, each to the least-loaded shard; ties to the lower run and shard", () => {
    const ms = [5, 1, 1, 1, 1, 1];
    expect(splitShards([0, 1, 2, 3, 4, 5], 2, (i) => ms[i]!)).toEqual([[0], [1, 2, 3, 4, 5]]);
    expect(splitShards([0, 1, 2], 3, () => 1)).toEqual([[0], [1], [2]]);
    expect(splitShards([0], 3, () => 1)).toEqual([[0], [], []]);
  });
});

describe("sweep: { settings }", () => {
  const SWEEP = `name: z
sweep: { settings: { restic.compression: [auto, max], borg.compression: [lz4, zstd] } }
tools:
  - restic: {}
  - borg: {}
  - tar-zstd: {}
steps:
  - backup: full
`;
  it("expands each tool's swept settings to the matrix, every varying setting in the label (defaults too)", () => {
    const plans = planRuns([parseScenario("z.yaml", SWEEP)]);
    expect(plans.map((p) => p.label)).toEqual([
      "restic compression=auto",
      "restic compression=max",
      "borg compression=lz4",
      "borg compression=zstd",
      "tar-zstd",
    ]);
    expect(plans.map((p) => p.tool.settings.compression)).toEqual(["auto", "max", "lz4", "zstd", undefined]);
    const two = SWEEP.replace("borg.compression: [lz4, zstd]", "restic.args.backup: [x]").replace(
      "{ restic.compression: [auto, max], restic.args.backup: [x] }",
      "{ restic.compression: [auto, max, off] }",
    );
    expect(planRuns([parseScenario("z.yaml", two, { overrides: { tools: ["restic"] } })])).toHaveLength(3);
  });

  it("refuses a key not TOOL.SETTING of the scenario's tools, a value the tool refuses, a drill run twice", () => {
    const bad = `name: z
sweep: { settings: { restic.compression: [auto, fast], borg.level: [1], rsync.x: [1], nodot: [1] } }
tools:
  - restic: {}
  - borg: {}
steps:
  - backup: full
`;
    const issues = (() => {
      try {
        parseScenario("z.yaml", bad);
        return [];
      } catch (e) {
        return (e as InputError).issues;
      }
    })();
    expect(issues.map((i) => `${i.line}:${i.column} ${i.path}: ${i.message}`)).toEqual([
      `2:49 sweep.settings.restic.compression[1]: restic.compression: "fast": Invalid option: expected one of ` +
        `"auto"|"off"|"max"`,
      `2:68 sweep.settings.borg.level: borg has no setting "level" (it has encryption, passphrase, compression, args)`,
      `2:82 sweep.settings.rsync.x: "rsync" is not one of this scenario's tools (restic, borg)`,
      `2:94 sweep.settings.nodot: "nodot" is not TOOL.SETTING (e.g. restic.compression)`,
    ]);
    const twice = bad
      .replace(
        "restic.compression: [auto, fast], borg.level: [1], rsync.x: [1], nodot: [1]",
        "restic.compression: [auto, max]",
      )
      .replace("  - borg: {}", "  - restic: { compression: max }");
    expect(() => parseScenario("z.yaml", twice)).toThrow(/tools\[0\] and tools\[1\] run restic with the same settings/);
  });
});
