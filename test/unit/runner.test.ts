// The run loop's rules, fast: a fake tool and a fake target (test/fixtures/runner), the real runner,
// the real agent. What a user reads in results.json: the outcome and its reason.
import { describe, expect, it } from "vitest";
import { fakeDrill as drill } from "../fixtures/runner/fake-drill.ts";
import type { FakeTargetLog } from "../fixtures/runner/fake-target.ts";
import type { Script } from "../fixtures/runner/fake-tool.ts";

const SEED = `  - backup: full
  - fault: { delete-path: { path: . } }
  - restore: latest
  - verify: [files, services]`;

describe("the run loop, with a fake tool and a fake target", () => {
  it("recovers when every call works", async () => {
    const { result, log } = await drill(SEED, {});
    expect(result.outcome, result.reason).toBe("recovered");
    expect(result.toolCalls.map((c) => c.kind)).toEqual(["backup", "restore"]);
    expect(log.stopped).toBe(1);
  });

  it(
    "what the backup, the fault and the restore wrote is flushed to disk inside their own phases: the backup's " +
      "after the services are back, the fault's before the disaster's clock starts",
    async () => {
      const { result, journal } = await drill(SEED, {});
      expect(result.outcome, result.reason).toBe("recovered");
      const ev = journal.events(0);
      const flushes = ev.filter((e) => e.type === "flush");
      expect(flushes.map((f) => f.type === "flush" && [f.after, f.what])).toEqual([
        ["backup", "backup destination"],
        ["fault", "data directory"],
        ["fault", "backup destination"],
        ["restore", "restore staging"],
      ]);
      for (const f of flushes) {
        if (f.type !== "flush") continue;
        expect(typeof f.ms).toBe("number"); // syncfs answered: the flush was done, not skipped
        // Inside the phase of the step that wrote: after its start, before its end.
        const start = ev.findLast((e) => e.type === "phase-start" && e.t <= f.t);
        expect(start?.type === "phase-start" && start.phase).toBe(f.after);
        const end = ev.find((e) => e.type === "phase-end" && e.t >= f.t);
        expect(end?.type === "phase-end" && end.phase).toBe(f.after);
      }
      // The backup's flush waits for nothing of the services: they are back first (downtime is the tool's).
      const up = ev.find((e) => e.type === "services-up")!;
      expect(up.t).toBeLessThanOrEqual(flushes[0]!.t);
      const fault = ev.find((e) => e.type === "fault-injected")!;
      expect(fault.t).toBeGreaterThanOrEqual(flushes.find((f) => f.type === "flush" && f.after === "fault")!.t);
    },
  );

  it("a failure before the fault is the drill failing, not the tool detecting damage", async () => {
    const { result } = await drill(SEED, { backup: ["fail"] });
    expect(result.outcome).toBe("failed");
    expect(result.reason).toMatch(/fake-full: fake backup: damaged/);
    expect(result.toolCalls.map((c) => c.kind)).toEqual(["backup"]); // nothing to restore: the drill stopped
  });

  it("a failure after the fault is the tool reporting the damage", async () => {
    const { result } = await drill(SEED, { restore: ["fail"] });
    expect(result.outcome).toBe("detected");
    expect(result.reason).toMatch(/fake-restore: fake restore: damaged/);
  });

  it("a silent hang is a failure", async () => {
    const { result } = await drill(SEED, { restore: ["hang"] });
    expect(result.outcome).toBe("failed");
    expect(result.reason).toMatch(/timed out/);
  });

  it("a backup killed half-way is run again, the fault absorbs the failure it caused", async () => {
    const { result } = await drill(`  - fault: { kill-backup: { after: 10ms } }\n${SEED}`, {});
    expect(result.outcome, result.reason).toBe("recovered");
    const kill = result.faults.find((f) => f.fault === "kill-backup")!;
    expect(kill.effects).toMatchObject({ killed: true, rerun: { exitCode: 0 } });
    expect(result.toolCalls.filter((c) => c.kind === "backup")).toHaveLength(2);
  });

  it("a restore stalled on a full disk is killed by the harness, which says so", async () => {
    const { result } = await drill(
      `  - backup: full\n  - fault: { disk-full: { stalledFor: 100ms } }\n  - restore: latest`,
      { restore: ["stall"] },
      { stopped: 0, smallFree: 0 },
    );
    expect(result.outcome, result.reason).toBe("detected");
    expect(result.reason).toMatch(/harness: restore stalled 100ms on a full filesystem/);
  });

  it("no snapshot at the asked time is a failed drill, not an environment error", async () => {
    const { result } = await drill(
      `  - backup: full\n  - fault: { delete-path: { path: . } }\n  - restore: { at: "2001-01-01T00:00:00Z" }`,
      { restore: ["no-snapshot"] },
    );
    expect(result.outcome).toBe("failed");
    expect(result.reason).toMatch(/no snapshot at or before/);
  });

  it("a restore that exits 0 and writes nothing is silent corruption, not a harness error", async () => {
    const { result } = await drill(SEED, { restore: ["empty"] });
    expect(result.outcome, result.reason).toBe("silent-corruption");
  });

  it("a restore that exits 0 and leaves a file out is silent corruption", async () => {
    const { result } = await drill(
      `  - backup: full\n  - fault: { delete-path: { path: . } }\n  - fault: { delete-archive-volume: {} }\n  ` +
        `- restore: latest`,
      {},
    );
    expect(result.outcome).toBe("silent-corruption");
    expect(result.verification?.mismatches.map((m) => m.kind)).toContain("missing");
  });

  const throwing: [string, string, Script, FakeTargetLog["throwIn"]?][] = [
    ["backup", SEED, { backup: ["throw"] }],
    ["fault", `  - fault: { corrupt-archive: {} }\n  - backup: full\n  - restore: latest`, {}],
    ["check", `  - backup: full\n  - check: deep`, { check: ["throw"] }],
    ["restore", SEED, { restore: ["throw"] }],
    ["restore staging", SEED, {}, "staging"],
    ["verify", SEED, {}, "health"],
    ["schedule", `  - backup: full\n  - schedule: { for: 1s, every: 1s }`, { backup: ["ok", "throw"] }],
    ["quiesce", SEED, {}, "quiesce"],
  ];
  for (const [where, steps, script, throwIn] of throwing) {
    it(`a throw in ${where} ends in error, and cleanup still runs`, async () => {
      const log: FakeTargetLog = { stopped: 0, ...(throwIn ? { throwIn } : {}) };
      const { result, workGone } = await drill(steps, script, log);
      expect(result.outcome).toBe("error");
      expect(result.error).toBeTruthy();
      expect(log.stopped).toBe(1);
      expect(workGone).toBe(true);
    });
  }
});
