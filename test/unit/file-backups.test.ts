// The baselines' repository layout, backup choice by time and the tar-zstd statistics.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { backupName, parseBackupNames, restoreChain } from "../../harness/tools/file-backups.ts";
import { pickBackup } from "../../harness/tools/pick-backup.ts";
import { parseTarZstdStats } from "../../harness/tools/tar-zstd.ts";

const T = Date.parse("2026-11-26T10:00:00.000Z");
const ls = [
  backupName("full", T, ".tar.zst"),
  backupName("full", T, ".snar"),
  backupName("incremental", T + 60_000, ".tar.zst"),
  `${backupName("incremental", T + 90_000, ".tar.zst")}.part`, // killed: never finished
  backupName("full", T + 120_000, ".tar.zst"),
  backupName("incremental", T + 180_000, ".tar.zst"),
  "lost+found",
].join("\n");

describe("pickBackup", () => {
  const backups = [
    { id: "b", timeMs: 2000 },
    { id: "a", timeMs: 1000 },
    { id: "c", timeMs: 3000 },
  ];
  it("takes the newest at or before the time", () => {
    expect(pickBackup(backups, new Date(2500).toISOString())?.id).toBe("b");
    expect(pickBackup(backups, new Date(3000).toISOString())?.id).toBe("c");
    expect(pickBackup(backups, new Date(999).toISOString())).toBeUndefined();
  });
  it("takes backup:N as the Nth in time order, from 1", () => {
    expect(pickBackup(backups, "backup:1")?.id).toBe("a");
    expect(pickBackup(backups, "backup:4")).toBeUndefined();
  });
  it("refuses what is neither", () => {
    expect(() => pickBackup(backups, "yesterday")).toThrow(/not an ISO 8601 time or backup:N/);
  });
});

describe("baseline repository layout", () => {
  it("finds finished backups only, oldest first", () => {
    const b = parseBackupNames(ls, ".tar.zst");
    expect(b.map((x) => [x.kind, x.timeMs - T])).toEqual([
      ["full", 0],
      ["incremental", 60_000],
      ["full", 120_000],
      ["incremental", 180_000],
    ]);
  });

  it("chains the newest full and its incrementals", () => {
    const b = parseBackupNames(ls, ".tar.zst");
    expect(restoreChain(b).map((x) => x.timeMs - T)).toEqual([120_000, 180_000]);
    expect(restoreChain(b, new Date(T + 100_000).toISOString()).map((x) => x.timeMs - T)).toEqual([0, 60_000]);
    expect(restoreChain(b, "backup:1").map((x) => x.timeMs - T)).toEqual([0]);
    expect(restoreChain(b, new Date(T - 1).toISOString())).toEqual([]);
  });

  it("gives no chain when the full is missing", () => {
    const onlyIncr = parseBackupNames(backupName("incremental", T, ".tar.zst"), ".tar.zst");
    expect(restoreChain(onlyIncr)).toEqual([]);
  });

  it("cp copies have no suffix", () => {
    expect(
      parseBackupNames(`${backupName("full", T, "")}\n${backupName("full", T + 1, "")}.part\n`, "").map((b) => b.id),
    ).toEqual([backupName("full", T, "")]);
  });
});

describe("tar-zstd statistics", () => {
  it("reads tar --totals and the archive size, from a real run", () => {
    const dir = new URL("../fixtures/tools/", import.meta.url);
    const out = readFileSync(new URL("tar-zstd-full.stdout.txt", dir), "utf8");
    const err = readFileSync(new URL("tar-zstd-full.stderr.txt", dir), "utf8");
    expect(parseTarZstdStats(out, err)).toEqual({ tarBytes: 10_403_840, addedBytes: 5_914_672 });
    expect(parseTarZstdStats("", "tar: Exiting with failure status\n")).toBeUndefined();
  });
});
