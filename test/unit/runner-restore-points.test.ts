// The recovery point rules of the run loop, fast (fake tool and target): which backup came back,
// its age at the disaster, the writes lost (counted from the target's load records), and how
// newest-restorable falls back, point by point, when the tool reports damage.
import { describe, expect, it } from "vitest";
import { fakeDrill as drill } from "../fixtures/runner/fake-drill.ts";

/** A full and three incrementals, the load writer writing in between, then the data deleted. */
const CHAIN = (restore: string) => `  - backup: full
  - load: 60ms
  - backup: incremental
  - load: 60ms
  - backup: incremental
  - load: 60ms
  - backup: incremental
  - load: 120ms
  - fault: { delete-path: { path: . } }
  - restore: ${restore}
  - verify: [files, services]`;

describe("the recovery point of every run", () => {
  it(
    "latest: the newest backup, its age at the disaster, " + "and the writes lost counted from the load records",
    async () => {
      const { result } = await drill(CHAIN("latest"), {});
      expect(result.outcome, result.reason).toBe("recovered");
      const rp = result.recoveryPoint;
      expect(rp).toMatchObject({
        asked: "latest",
        backup: { number: 4, of: 4, kind: "incremental" },
        fallback: null,
        identicalShare: 1,
      });
      expect(rp.backup!.toolId).toMatch(/^0004-/);
      expect(rp.attempts).toEqual([expect.objectContaining({ backup: 4, verdict: "restored", placed: true })]);
      // The writer wrote during the last load (120 ms at 20 ms): those records were lost, and counted.
      expect(rp.newestWriteAtDisaster!.seq).toBeGreaterThan(rp.newestWriteSurviving!.seq);
      expect(rp.writesLost).toBe(rp.newestWriteAtDisaster!.seq - rp.newestWriteSurviving!.seq);
      expect(rp.writesLost).toBeGreaterThanOrEqual(3);
      expect(rp.ageAtDisasterMs).toBeGreaterThanOrEqual(120);
      expect(result.metrics).toMatchObject({ writesLost: rp.writesLost, pointAgeMs: rp.ageAtDisasterMs });
      expect(result.verification?.filesIdentical).toBe(rp.filesIdentical);
    },
  );

  it("latest, and the newest will not restore: detected, in the tool's words", async () => {
    const { result } = await drill(CHAIN("latest"), { restore: ["fail"] });
    expect(result.outcome).toBe("detected");
    expect(result.reason).toMatch(/fake-restore: fake restore: damaged/);
    expect(result.recoveryPoint).toMatchObject({
      backup: null,
      writesLost: null,
      writesLostUnknown: "nothing was restored",
    });
    expect(result.recoveryPoint.attempts).toEqual([
      expect.objectContaining({ backup: 4, verdict: "damaged", placed: false, said: expect.stringMatching(/damaged/) }),
    ]);
  });

  it(
    "newest-restorable: the newest reports damage, the one before restores; recovered, with the fallback and " +
      "what it cost",
    async () => {
      const latest = (await drill(CHAIN("latest"), {})).result.recoveryPoint;
      const { result } = await drill(CHAIN("newest-restorable"), { restore: ["fail", "ok"] });
      expect(result.outcome, result.reason).toBe("recovered");
      expect(result.reason).toMatch(/manifest of backup 3 of 4 .*backup 4 failed: fake-restore: fake restore: damaged/);
      const rp = result.recoveryPoint;
      expect(rp).toMatchObject({
        asked: "newest-restorable",
        backup: { number: 3, of: 4 },
        fallback: { failedPoints: [4] },
      });
      expect(rp.attempts.map((a) => [a.backup, a.verdict, a.placed])).toEqual([
        [4, "damaged", false],
        [3, "restored", true],
      ]);
      expect(rp.fallback!.extraRpoMs).toBeGreaterThanOrEqual(60);
      // An older point loses more writes than the newest would have.
      expect(rp.writesLost).toBeGreaterThan(latest.writesLost!);
      expect(rp.writesLost).toBe(rp.newestWriteAtDisaster!.seq - rp.newestWriteSurviving!.seq);
      expect(result.metrics.rpoMs!).toBeGreaterThan(rp.fallback!.extraRpoMs);
    },
  );

  it(
    "newest-restorable: every point damaged ends detected " + "with the newest's words, each point tried once",
    async () => {
      const { result } = await drill(CHAIN("newest-restorable"), { restore: ["fail", "fail", "fail", "fail"] });
      expect(result.outcome).toBe("detected");
      expect(result.recoveryPoint.attempts.map((a) => a.backup)).toEqual([4, 3, 2, 1]);
      expect(result.recoveryPoint.backup).toBeNull();
      expect(result.toolCalls.filter((c) => c.kind === "restore")).toHaveLength(4);
    },
  );

  it("newest-restorable: a silent hang is not damage reported; no older point is tried, the drill failed", async () => {
    const { result } = await drill(CHAIN("newest-restorable"), { restore: ["hang", "ok"] });
    expect(result.outcome).toBe("failed");
    expect(result.recoveryPoint.attempts).toEqual([expect.objectContaining({ backup: 4, verdict: "failed" })]);
  });

  it(
    "random: a seeded choice among the run's backups, " + "the same for the same seed, the seed in the result",
    async () => {
      const a = (await drill(CHAIN("{ random: { seed: 7 } }"), {})).result;
      const b = (await drill(CHAIN("{ random: { seed: 7 } }"), {})).result;
      expect(a.outcome, a.reason).toBe("recovered");
      expect(a.recoveryPoint.random).toEqual({ seed: 7, among: [1, 2, 3, 4] });
      expect(a.recoveryPoint.backup!.number).toBe(b.recoveryPoint.backup!.number);
      const unseeded = (await drill(CHAIN("random"), {})).result.recoveryPoint;
      expect(unseeded.random!.seed).toBeGreaterThan(0);
      expect(unseeded.asked).toBe("random");
    },
  );

  it("backup:N restores that backup, by the run's numbering", async () => {
    const { result } = await drill(CHAIN('{ at: "backup:2" }'), {});
    expect(result.outcome, result.reason).toBe("recovered");
    expect(result.recoveryPoint.backup).toMatchObject({ number: 2, of: 4 });
  });

  it("a drill that stopped before any restore still carries the recovery point fields, unknown", async () => {
    const { result } = await drill(CHAIN("latest"), { backup: ["fail"] });
    expect(result.outcome).toBe("failed");
    expect(result.recoveryPoint).toMatchObject({
      asked: null,
      backup: null,
      ageAtDisasterMs: null,
      writesLost: null,
      attempts: [],
      fallback: null,
    });
    expect(result.recoveryPoint.writesLostUnknown).toBeTruthy();
  });
});
