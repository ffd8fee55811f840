// borg 1.2 output readers, on samples captured from real runs (test/fixtures/tools).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { borgArchiveName, borgLogMessage, parseBorgCreate, parseBorgList } from "../../harness/tools/borg-output.ts";

const sample = (name: string) => readFileSync(new URL(`../fixtures/tools/${name}`, import.meta.url), "utf8");

describe("borg create --json", () => {
  it("reads the archive's statistics", () => {
    expect(parseBorgCreate(sample("borg-create.stdout.json"))).toEqual({
      sourceFiles: 155,
      sourceBytes: 10_001_164,
      compressedBytes: 7_661_852,
      addedBytes: 7_661_852,
      elapsedS: 0.172726,
    });
  });

  it("gives nothing for no or broken JSON", () => {
    expect(parseBorgCreate("")).toBeUndefined();
    expect(parseBorgCreate('{"archive": {')).toBeUndefined();
  });
});

describe("borg archive names and list --json", () => {
  it("names carry the UTC time to the ms, and list reads it back", () => {
    const at = new Date("2026-11-26T09:41:38.593Z");
    expect(borgArchiveName("full", at)).toBe("full-20261126T094138.593Z");
    const [a] = parseBorgList(sample("borg-list.stdout.json"));
    // borg itself says 09:41:39 (local time, whole seconds): the name is more precise
    expect(a).toMatchObject({ name: "full-20261126T094138.593Z", timeMs: at.getTime() });
  });

  it("falls back to borg's own start time for archives drdrill did not name", () => {
    const [a] = parseBorgList('{"archives": [{"name": "manual", "start": "2026-11-26T09:41:39.000000"}]}');
    expect(a!.timeMs).toBe(new Date(2026, 10, 26, 9, 41, 39).getTime());
  });
});

describe("borg --log-json messages", () => {
  it("takes the first error, not the traceback", () => {
    expect(borgLogMessage(sample("borg-extract-corrupt.stderr.jsonl"))).toBe(
      "IntegrityError: Data integrity error: Segment entry checksum mismatch [segment 2, offset 1322895]",
    );
  });

  it("names a wrong passphrase by its msgid", () => {
    expect(borgLogMessage(sample("borg-wrong-passphrase.stderr.jsonl"))).toMatch(
      /^PassphraseWrong: passphrase supplied in BORG_PASSPHRASE.*incorrect\.$/,
    );
  });

  it("falls back to a warning, and to nothing for plain text", () => {
    const warn =
      '{"type": "log_message", "levelname": "WARNING", "message": "ibdata1: file changed while we backed it ' +
      'up", "name": "borg.archiver"}';
    expect(borgLogMessage(`${warn}\nnot json\n`)).toBe("ibdata1: file changed while we backed it up");
    expect(borgLogMessage("Local Exception\n")).toBeUndefined();
  });
});
