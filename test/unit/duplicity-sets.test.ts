// duplicity's backup sets read from its repository's file names: what a restore at a time, or of
// the Nth backup, gives duplicity's --time.
import { describe, expect, it } from "vitest";
import { parseDuplicitySets, parseDuplicityStatus } from "../../harness/tools/duplicity-sets.ts";
import { pickBackup } from "../../harness/tools/pick-backup.ts";

const LS = [
  "duplicity-full-signatures.20261201T100000Z.sigtar.gpg",
  "duplicity-full.20261201T100000Z.manifest.gpg",
  "duplicity-full.20261201T100000Z.vol1.difftar.gpg",
  "duplicity-inc.20261201T100000Z.to.20261201T100007Z.manifest.gpg",
  "duplicity-inc.20261201T100000Z.to.20261201T100007Z.vol1.difftar.gpg",
  "duplicity-inc.20261201T100007Z.to.20261201T100012Z.manifest",
  "duplicity-new-signatures.20261201T100007Z.to.20261201T100012Z.sigtar.gpg",
].join("\n");

describe("duplicity's backup sets", () => {
  it("are the manifests, oldest first, each at its end time (UTC, whole seconds)", () => {
    expect(parseDuplicitySets(LS)).toEqual([
      { id: "20261201T100000Z", timeMs: Date.parse("2026-12-01T10:00:00Z"), kind: "full" },
      { id: "20261201T100007Z", timeMs: Date.parse("2026-12-01T10:00:07Z"), kind: "incremental" },
      { id: "20261201T100012Z", timeMs: Date.parse("2026-12-01T10:00:12Z"), kind: "incremental" },
    ]);
  });

  it("a time with milliseconds picks the set taken at or before it; backup:N the Nth", () => {
    const sets = parseDuplicitySets(LS);
    expect(pickBackup(sets, "2026-12-01T10:00:11.999Z")?.id).toBe("20261201T100007Z");
    expect(pickBackup(sets, "backup:1")?.id).toBe("20261201T100000Z");
    expect(pickBackup(sets, "2026-12-01T09:59:59Z")).toBeUndefined();
  });
});

describe("duplicity collection-status (a restore test's listing)", () => {
  it("lists every chain's sets, oldest first, each with its time (local) and an ISO id --time takes", () => {
    const out = [
      "Found 1 secondary backup chains.",
      "Secondary chain 1 of 1:",
      " Type of backup set:                            Time:      Num volumes:",
      "                Full         Tue Dec  1 10:00:00 2026                 2",
      "Found primary backup chain with matching signature chain:",
      " Type of backup set:                            Time:      Num volumes:",
      "         Incremental         Sat Dec  5 20:30:05 2026                 1",
      "                Full         Fri Dec  4 09:15:00 2026                 1",
      "No orphaned or incomplete backup sets found.",
    ].join("\n");
    const sets = parseDuplicityStatus(out);
    const local = (...a: [number, number, number, number, number, number]) => new Date(...a).getTime();
    expect(sets.map((s) => [s.kind, s.timeMs])).toEqual([
      ["full", local(2026, 11, 1, 10, 0, 0)],
      ["full", local(2026, 11, 4, 9, 15, 0)],
      ["incremental", local(2026, 11, 5, 20, 30, 5)],
    ]);
    expect(sets[2]!.id).toBe(new Date(local(2026, 11, 5, 20, 30, 5)).toISOString().replace(".000Z", "Z"));
    expect(parseDuplicityStatus("No backup chains with active signatures found\n")).toEqual([]);
  });
});
