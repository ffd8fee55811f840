import { describe, expect, it } from "vitest";
import { errorMessage, explicitError } from "../../harness/tools/run-tool.ts";

describe("the tool's own words", () => {
  it("quotes gpg's reason, not the lead-in", () => {
    const stderr =
      "GPGError: GPG Failed, see log below:\n===== Begin GnuPG log =====\ngpg: AES256.CFB encrypted data\ngpg: " +
      "decryption failed: Bad session key\n===== End GnuPG log =====\n";
    expect(explicitError(stderr)).toBe("gpg: decryption failed: Bad session key");
  });
  it("quotes a traceback's exception", () => {
    expect(explicitError('Traceback (innermost last):\n  File "x.py", line 1\n    a[b]\n KeyError: 2\n')).toBe(
      "KeyError: 2",
    );
  });
  it("joins a line ending in a colon with the next", () => {
    expect(explicitError("Invalid data - SHA1 hash mismatch for file:\n duplicity-full.vol1.difftar.gpg\n")).toBe(
      "Invalid data - SHA1 hash mismatch for file: duplicity-full.vol1.difftar.gpg",
    );
  });
  it("falls back to the last stderr line; ignores duplicity's 'Errors 0'", () => {
    expect(explicitError("Errors 0\n")).toBeUndefined();
    expect(errorMessage("something odd\nthe end\n")).toBe("the end");
  });
});
