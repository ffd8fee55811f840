// The coverage matrix from hand-built journal events: verdicts, cost, the cheapest way, the renderings.
import { describe, expect, it } from "vitest";
import {
  cellsOfRun,
  cheapestWays,
  coverageHtml,
  coverageMarkdown,
  type CoverageRow,
} from "../../reports/coverage-matrix.ts";
import { parseWrapperReadBytes } from "../../harness/exec/local-executor.ts";

const call = (kind: string, exitCode: number | null, ms: number, readBytes?: number, message?: string) => ({
  type: "tool-call",
  kind,
  label: `x-${kind}`,
  command: `x ${kind}`,
  exitCode,
  signal: null,
  timedOut: exitCode === null,
  startT: 0,
  endT: ms,
  durationMs: ms,
  peakRssBytes: null,
  cpuMs: null,
  stdoutPath: "",
  stderrPath: "",
  ...(readBytes !== undefined ? { readBytes } : {}),
  ...(message ? { message } : {}),
  t: 0,
  wall: "",
});
const phase = (type: string, p: string, detail?: string) => ({ type, phase: p, detail, ok: true, t: 0, wall: "" });

describe("coverage matrix", () => {
  it("a check phase's last call decides caught or missed; its calls' time and bytes add up", () => {
    const evs: any[] = [
      phase("phase-start", "backup"),
      call("backup", 0, 900, 1000),
      phase("phase-end", "backup"),
      phase("phase-start", "check", "deep"),
      call("check", 1, 400, 100, "locked"),
      call("check", 1, 600, 5000, "Pack ID does not match"),
      phase("phase-end", "check", "deep"),
    ];
    expect(cellsOfRun(evs, 0).deep).toMatchObject({
      verdict: "caught",
      ms: 1000,
      readBytes: 5100,
      said: "Pack ID does not match",
    });
    const light: any[] = [phase("phase-start", "check", "light"), call("check", 0, 200), phase("phase-end", "check")];
    expect(cellsOfRun(light, 0).light).toMatchObject({ verdict: "missed", readBytes: null });
    const restore: any[] = [phase("phase-start", "restore"), call("restore", 0, 300, 7), phase("phase-end", "restore")];
    expect(cellsOfRun(restore, 2).restore).toMatchObject({ verdict: "missed", mismatches: 2 });
    const sample: any[] = [phase("phase-start", "check", "sample 10%"), call("check", null, 50)];
    expect(cellsOfRun(sample, 0).sample?.verdict).toBe("caught");
  });

  it("names the cheapest way that caught every damage fault, or none and why", () => {
    const rows: CoverageRow[] = [
      {
        tool: "t",
        fault: "corrupt",
        damage: true,
        cells: {
          light: { verdict: "missed", ms: 10 },
          deep: { verdict: "caught", ms: 500, readBytes: 10 },
          restore: { verdict: "caught", ms: 300, readBytes: 20 },
        },
      },
      {
        tool: "t",
        fault: "delete",
        damage: true,
        cells: {
          light: { verdict: "caught", ms: 10 },
          deep: { verdict: "caught", ms: 700 },
          restore: { verdict: "missed" },
        },
      },
      { tool: "t", fault: "stale-lock", damage: false, cells: { light: { verdict: "missed", ms: 1 } } },
      { tool: "u", fault: "corrupt", damage: true, cells: { light: { verdict: "missed", ms: 1 } } },
    ];
    const c = cheapestWays(rows, ["t", "u", "v"]);
    expect(c.t).toMatchObject({ way: "deep", ms: 600 });
    expect(c.u?.way).toBeNull();
    expect(c.u?.why).toMatch(/light missed corrupt/);
    expect(c.v?.why).toMatch(/no damage fault/);
    const m = {
      generatedAt: "",
      datasetBytes: 8 << 20,
      samplePercent: 10,
      tools: ["t"],
      faults: [],
      rows,
      cheapest: c,
    };
    expect(coverageMarkdown(m)).toMatch(
      /\| corrupt \| MISSED \(0\.0 s, unknown read\) \| CAUGHT \(0\.5 s, 0 KiB read\)/,
    );
    expect(coverageMarkdown(m)).toContain("**deep**");
    expect(coverageHtml(m)).toContain("<b>deep</b>");
  });

  it("reads the wrapper's rchar line", () => {
    expect(parseWrapperReadBytes("0m0.0s 0m0.0s\n0m1.0s 0m0.5s\nrchar: 12345\n")).toBe(12345);
    expect(parseWrapperReadBytes("0m0.0s 0m0.0s\n")).toBeNull();
  });
});
