import { describe, expect, it } from "vitest";
import { computeMetrics } from "../../harness/metrics/compute.ts";
import { phases } from "../../harness/metrics/phases.ts";
import { journal, toolCall, wallMs } from "../helpers/journal.ts";

// A cold seed drill: services down 1000-4000 (manifest 1000-1500, backup 1500-3500), load until
// 10000, fault at 10000, restore 10100-12100, inspect 12100-12600, healthy at 13000.
const seedDrill = journal(
  { at: 0, type: "run-start", scenario: "s", tool: "duplicity", settings: {}, target: "local", repeat: 1 },
  { at: 500, type: "dataset", bytes: 100_000_000, files: 10 },
  { at: 1000, type: "services-down" },
  { at: 1000, type: "phase-start", phase: "manifest" },
  { at: 1500, type: "phase-end", phase: "manifest", ok: true },
  { at: 1500, type: "manifest", files: 10, bytes: 100_000_000, digest: "x" },
  toolCall(1500, "backup", "duplicity-full", 2000, { peakRssBytes: 50_000_000, cpuMs: 1800 }),
  { at: 3600, type: "repo-size", bytes: 60_000_000 },
  { at: 4000, type: "services-up" },
  { at: 10_000, type: "fault-injected", fault: "delete-path", params: {}, effects: {} },
  toolCall(10_100, "restore", "duplicity-restore", 2000, { peakRssBytes: 80_000_000, cpuMs: 1500 }),
  { at: 12_100, type: "phase-start", phase: "inspect" },
  { at: 12_600, type: "phase-end", phase: "inspect", ok: true },
  { at: 12_700, type: "load-survivor", newestWallMs: wallMs(950), newestSeq: 10 },
  { at: 13_000, type: "health", ok: true, detail: "ok" },
);

describe("metrics from a journal", () => {
  const m = computeMetrics(seedDrill);
  it("RTO runs from the fault to the first passing health check, less the harness's inspection", () => {
    expect(m.rtoMs).toBe(13_000 - 10_000 - 500);
  });
  it("RPO runs from the fault back to the newest surviving write", () => {
    expect(m.rpoMs).toBe(10_000 - 950);
  });
  it("downtime is the cold backup's services-down time, less manifest hashing", () => {
    expect(m.downtimeMs).toBe(3000 - 500);
  });
  it("throughput is source bytes over the tool's wall time", () => {
    expect(m.backupMs).toBe(2000);
    expect(m.restoreMs).toBe(2000);
    expect(m.backupThroughputBps).toBe(50_000_000);
    expect(m.restoreThroughputBps).toBe(50_000_000);
    expect(m.sourceBytes).toBe(100_000_000);
    expect(m.repoBytes).toBe(60_000_000);
  });
  it("peak RSS is the largest tool call's, CPU the sum", () => {
    expect(m.peakRssBytes).toBe(80_000_000);
    expect(m.cpuMs).toBe(3300);
  });
  it("leaves RTO and RPO empty when nothing came back", () => {
    const failed = seedDrill.filter((e) => e.type !== "health" && e.type !== "load-survivor");
    const f = computeMetrics(failed);
    expect(f.rtoMs).toBeNull();
    expect(f.rpoMs).toBeNull();
  });
  it("lists phases relative to the run start", () => {
    expect(phases(seedDrill)).toEqual([
      { name: "manifest", startMs: 1000, endMs: 1500, ok: true },
      { name: "inspect", startMs: 12_100, endMs: 12_600, ok: true },
    ]);
  });
  it("a hot backup has no downtime", () => {
    const hot = seedDrill.filter((e) => e.type !== "services-down" && e.type !== "services-up");
    expect(computeMetrics(hot).downtimeMs).toBe(0);
  });
});

describe("the disaster is the last fault before the restore", () => {
  it("a fault armed before the backup (kill-backup) does not start the RTO/RPO clock", () => {
    const events = journal(
      { at: 0, type: "run-start", scenario: "s", tool: "t", settings: {}, target: "local", repeat: 1 },
      { at: 100, type: "fault-injected", fault: "kill-backup", params: {}, effects: {} },
      toolCall(200, "backup", "full", 1000, { exitCode: null }),
      toolCall(1300, "backup", "full", 1000),
      { at: 5000, type: "fault-injected", fault: "delete-path", params: {}, effects: {} },
      toolCall(5100, "restore", "restore", 1000),
      { at: 6200, type: "load-survivor", newestWallMs: wallMs(1250), newestSeq: 3 },
      { at: 6500, type: "health", ok: true, detail: "ok" },
    );
    const m = computeMetrics(events);
    expect(m.rtoMs).toBe(1500);
    expect(m.rpoMs).toBe(3750);
    expect(m.backupMs).toBe(1000);
  });
  it("a failed restore does not end the RTO; the one that worked does", () => {
    const events = journal(
      { at: 0, type: "run-start", scenario: "s", tool: "t", settings: {}, target: "local", repeat: 1 },
      { at: 1000, type: "fault-injected", fault: "disk-full", params: {}, effects: {} },
      toolCall(1100, "restore", "restore", 500, { exitCode: 30 }),
      toolCall(1700, "restore", "restore", 800),
      { at: 2600, type: "health", ok: true, detail: "ok" },
    );
    expect(computeMetrics(events).rtoMs).toBe(1600);
    expect(computeMetrics(events).restoreMs).toBe(800);
  });
});

type Ev = Parameters<typeof journal>[number];

describe("a person's fix-ups after the restore are inside RTO", () => {
  // Fault at 1000, restore 1100-2100 (its services back healthy at 2200), then `run` steps.
  const start: Ev = { at: 0, type: "run-start", scenario: "s", tool: "t", settings: {}, target: "local", repeat: 1 };
  const fault: Ev = { at: 1000, type: "fault-injected", fault: "delete-path", params: {}, effects: {} };
  const restored: Ev[] = [
    toolCall(1100, "restore", "restore", 1000),
    { at: 2200, type: "health", ok: true, detail: "" },
  ];
  const run = (from: number, to: number, ok = true): Ev[] => [
    { at: from, type: "phase-start", phase: "run" },
    { at: to, type: "phase-end", phase: "run", ok },
  ];
  const verify = (at: number, healthy?: boolean): Ev[] => [
    { at, type: "phase-start", phase: "verify" },
    ...(healthy === undefined ? [] : [{ at: at + 50, type: "health" as const, ok: healthy, detail: "" }]),
    { at: at + 100, type: "phase-end", phase: "verify", ok: true },
  ];
  const rto = (...more: Ev[]) => computeMetrics(journal(start, fault, ...restored, ...more)).rtoMs;

  it("without one, RTO ends at the first passing health check after the restore", () => {
    expect(rto(...verify(3000, true))).toBe(1200);
  });
  it("with fix-ups, at the first passing health check after the last of them", () => {
    expect(rto(...run(2300, 2800), ...run(2900, 4000), ...verify(4100, true))).toBe(4150 - 1000);
  });
  it("with no health check after the fix-up, at its end", () => {
    expect(rto(...run(2300, 5000), ...verify(5100))).toBe(4000);
  });
  it("a check that fails after the fix-up: not recovered; a fix-up that failed: not recovered", () => {
    expect(rto(...run(2300, 5000), ...verify(5100, false))).toBeNull();
    expect(rto(...run(2300, 5000, false))).toBeNull();
  });
  it("a run step after the verification, or before the restore, is not a fix-up", () => {
    expect(rto(...verify(2300, true), ...run(2500, 9000))).toBe(1200);
    const before = journal(start, fault, ...run(1010, 1090), ...restored, ...verify(3000, true));
    expect(computeMetrics(before).rtoMs).toBe(1200);
  });
});
