// The context of a benchmark: the run folder's file system read from mountinfo, the load average,
// the busy-machine warning in results.json (a merge keeps one, its own), and every report naming the
// CPU, the file system, the data set and the load.
import { describe, expect, it } from "vitest";
import { loadAverage, mountOf } from "../../harness/util/machine.ts";
import { assembleResults, busyWarning } from "../../harness/runner/results-file.ts";
import { renderHtml } from "../../reports/html.ts";
import { renderMarkdown } from "../../reports/markdown.ts";
import { resultsFile, run } from "./report-fixture.ts";

const MOUNTINFO = [
  "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw",
  "30 22 0:25 / /tmp rw,nosuid shared:5 - tmpfs tmpfs rw",
  "31 22 0:26 / /srv/my\\040data rw - xfs /dev/sdb1 rw",
  "32 31 0:27 / /srv/my\\040data/runs rw - btrfs /dev/sdc1 rw",
].join("\n");

describe("the machine", () => {
  it("finds the file system holding a path: the longest mount point, escapes undone", () => {
    expect(mountOf(MOUNTINFO, "/home/me/drdrill-runs/x")).toEqual({ type: "ext4", mountPoint: "/" });
    expect(mountOf(MOUNTINFO, "/tmp/r")).toEqual({ type: "tmpfs", mountPoint: "/tmp" });
    expect(mountOf(MOUNTINFO, "/tmpfoo")).toEqual({ type: "ext4", mountPoint: "/" });
    expect(mountOf(MOUNTINFO, "/srv/my data/runs/1")).toEqual({ type: "btrfs", mountPoint: "/srv/my data/runs" });
    expect(mountOf(MOUNTINFO, "/srv/my data")).toEqual({ type: "xfs", mountPoint: "/srv/my data" });
  });

  it("reads the 1-minute load average", () => {
    expect(loadAverage(() => "2.51 1.90 1.40 3/812 44123\n")).toBe(2.51);
    expect(
      loadAverage(() => {
        throw new Error("no /proc");
      }),
    ).toBeNull();
  });
});

describe("a busy machine", () => {
  const calm = run({ index: 0, loadAverage: { start: 0.4, end: 1.2 } });
  const busy = run({ index: 1, loadAverage: { start: 1.5, end: 3.4 } });

  it("is a warning naming the runs, the peak and the cores; none when the load stayed under them", () => {
    expect(busyWarning([calm], 2)).toBeNull();
    expect(busyWarning([calm, busy], 2)).toBe(
      "the machine was busy during runs #2 (1-minute load average up to 3.40 on 2 cores): other work shared " +
        "the CPUs, so those timings are slower and noisier than an idle machine's",
    );
    expect(busyWarning([busy], 2)).toMatch(/during every run/);
  });

  it("results.json warns once, a merge's own warning replacing its shards'", () => {
    const file = resultsFile([calm, busy]);
    const shardWarning = busyWarning([busy], 2)!;
    const merged = assembleResults({ ...file, parallelJobs: 1, warnings: [shardWarning, "VM timings are emulated"] });
    expect(merged.warnings).toEqual(["VM timings are emulated", busyWarning([calm, busy], 2)]);
  });

  it("every report names the CPU, the file system, the data set and the load, and shows the warning", () => {
    const file = assembleResults({
      ...resultsFile([{ ...calm, dataset: { method: "generated", bytes: 2_000_000, files: 148 } }, busy]),
      parallelJobs: 1,
    });
    file.environment = {
      ...file.environment,
      cpuModel: "AMD EPYC 7B13",
      fileSystem: { type: "xfs", mountPoint: "/srv" },
    };
    const md = renderMarkdown(file);
    const html = renderHtml(file).replace(/&#x27;/g, "'");
    for (const text of [
      "AMD EPYC 7B13 (2 cores)",
      "xfs on /srv",
      "data set of seed-drill",
      "generated, 2.00 MB in 148 files",
      "0.40–3.40 (1 minute, at runs' start and end): busy (above 2 cores)",
      "the machine was busy during runs #2",
    ]) {
      expect(md, text).toContain(text);
      expect(html, text).toContain(text);
    }
  });
});
