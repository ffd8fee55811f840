// restic 0.14 output readers, on samples captured from real runs (test/fixtures/tools).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  parseResticProgress,
  parseResticSnapshots,
  parseResticSummary,
  resticSnapshotId,
} from "../../harness/tools/restic-output.ts";

const sample = (name: string) => readFileSync(new URL(`../fixtures/tools/${name}`, import.meta.url), "utf8");

describe("restic backup --json", () => {
  it("reads the summary line of a full backup", () => {
    expect(parseResticSummary(sample("restic-backup-full.stdout.jsonl"))).toEqual({
      sourceFiles: 156,
      sourceBytes: 10_397_733,
      newFiles: 156,
      changedFiles: 0,
      unmodifiedFiles: 0,
      addedBytes: 9_557_584,
      elapsedS: 0.332823368,
      errors: 0,
    });
  });

  it("names the snapshot each backup made", () => {
    expect(resticSnapshotId(sample("restic-backup-full.stdout.jsonl"))).toBe("099d37b2");
    expect(resticSnapshotId(sample("restic-backup-incremental.stdout.jsonl"))).toBe("b93b7bb0");
    expect(resticSnapshotId("not json")).toBeUndefined();
  });

  it("reads an incremental's summary (no status lines before it)", () => {
    const s = parseResticSummary(sample("restic-backup-incremental.stdout.jsonl"))!;
    expect(s.addedBytes).toBe(2_002_646);
    expect(s.sourceBytes).toBe(8_000_007);
    expect(s.errors).toBe(0);
  });

  it("gives nothing when there is no summary (a failed or killed backup)", () => {
    const cut = sample("restic-backup-full.stdout.jsonl").split("\n").slice(0, 3).join("\n");
    expect(parseResticSummary(cut)).toBeUndefined();
    expect(parseResticSummary("Fatal: wrong password or no key found\n")).toBeUndefined();
  });

  it("skips a line cut at the start of the kept tail", () => {
    const text = `_type":"status","bytes_done":1}\n${sample("restic-backup-full.stdout.jsonl")}`;
    expect(parseResticSummary(text)?.sourceFiles).toBe(156);
  });

  it("turns status lines into progress: the newest line of a chunk", () => {
    const lines = sample("restic-backup-full.stdout.jsonl").split("\n");
    expect(parseResticProgress(lines.slice(0, 3).join("\n"))).toEqual({ bytes: 2_383_809, totalBytes: 10_397_733 });
    expect(parseResticProgress(lines[0]!)).toBeUndefined(); // no bytes_done yet
  });
});

describe("restic snapshots --json", () => {
  it("reads ids and ns-precision times", () => {
    const snaps = parseResticSnapshots(sample("restic-snapshots.json"));
    expect(snaps.map((s) => s.shortId)).toEqual(["3501a9b1", "b93b7bb0"]);
    expect(snaps[0]!.id).toHaveLength(64);
    expect(new Date(snaps[0]!.timeMs).toISOString()).toBe("2026-11-26T09:37:05.145Z");
    expect(snaps[1]!.timeMs).toBeGreaterThan(snaps[0]!.timeMs);
  });

  it("reads an empty repository and a time with an offset", () => {
    expect(parseResticSnapshots("[]\n")).toEqual([]);
    const [s] = parseResticSnapshots('[{"time":"2026-11-26T10:37:05.5+01:00","id":"abcdef0123456789"}]');
    expect(s).toMatchObject({ shortId: "abcdef01", timeMs: Date.parse("2026-11-26T09:37:05.500Z"), tags: [] });
  });
});
