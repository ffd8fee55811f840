// gpg-key's short GNUPGHOME links (/tmp/drdrill-gpg.XXXXXXXX) after a drdrill killed hard: `drdrill clean`
// removes a link whose home went with the run's folder, and leaves a live run's link, a file or folder of
// that name and any other name alone.
import { lstat, mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { removeDanglingLinks } from "../../harness/tools/gpg-keyring.ts";
import { tmp } from "../helpers/tmp.ts";

const there = (p: string) =>
  lstat(p).then(
    () => true,
    () => false,
  );

describe("removeDanglingLinks", () => {
  it("removes only this user's drdrill-gpg links whose home is gone", async () => {
    const d = await tmp();
    const home = join(d, "work", "gnupg");
    await mkdir(home, { recursive: true });
    await symlink(join(d, "work", "gone-home"), join(d, "drdrill-gpg.AbCd1234")); // killed run: home gone
    await symlink(home, join(d, "drdrill-gpg.LiVe5678")); // a run still going
    await symlink(join(d, "nowhere"), join(d, "drdrill-gpg.short")); // not a name MAKE gives
    await symlink(join(d, "nowhere"), join(d, "other.AbCd1234"));
    await writeFile(join(d, "drdrill-gpg.File0000"), "");
    expect(await removeDanglingLinks(d)).toEqual([join(d, "drdrill-gpg.AbCd1234")]);
    expect(await there(join(d, "drdrill-gpg.AbCd1234"))).toBe(false);
    for (const kept of ["drdrill-gpg.LiVe5678", "drdrill-gpg.short", "other.AbCd1234", "drdrill-gpg.File0000"])
      expect(await there(join(d, kept)), kept).toBe(true);
    expect(await removeDanglingLinks(join(d, "missing"))).toEqual([]);
  });
});
