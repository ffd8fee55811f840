// gpg-key's short GNUPGHOME links (/tmp/drdrill-gpg.XXXXXXXX) after a drdrill killed hard: `drdrill clean`
// removes a link whose home went with the run's folder or whose agent is gone (killed by the sweep), and
// leaves a link just made, a file or folder of that name and any other name alone.
import { lstat, lutimes, mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { removeLeftLinks } from "../../harness/tools/gpg-keyring.ts";
import { tmp } from "../helpers/tmp.ts";

const there = (p: string) =>
  lstat(p).then(
    () => true,
    () => false,
  );

describe("removeLeftLinks", () => {
  it("removes only this user's drdrill-gpg links whose home is gone, or a minute old with no agent", async () => {
    const d = await tmp();
    const home = join(d, "work", "gnupg");
    await mkdir(home, { recursive: true });
    const hourAgo = new Date(Date.now() - 3_600_000);
    await symlink(join(d, "work", "gone-home"), join(d, "drdrill-gpg.AbCd1234")); // killed run: home gone
    await symlink(home, join(d, "drdrill-gpg.OldN0agt")); // killed run, its agent killed by the sweep
    await lutimes(join(d, "drdrill-gpg.OldN0agt"), hourAgo, hourAgo);
    await symlink(home, join(d, "drdrill-gpg.JustMade")); // a run making its key: the agent starts next
    await symlink(join(d, "nowhere"), join(d, "drdrill-gpg.short")); // not a name MAKE gives
    await symlink(join(d, "nowhere"), join(d, "other.AbCd1234"));
    await writeFile(join(d, "drdrill-gpg.File0000"), "");
    expect((await removeLeftLinks(d)).sort()).toEqual([
      join(d, "drdrill-gpg.AbCd1234"),
      join(d, "drdrill-gpg.OldN0agt"),
    ]);
    for (const gone of ["drdrill-gpg.AbCd1234", "drdrill-gpg.OldN0agt"]) expect(await there(join(d, gone))).toBe(false);
    for (const kept of ["drdrill-gpg.JustMade", "drdrill-gpg.short", "other.AbCd1234", "drdrill-gpg.File0000"])
      expect(await there(join(d, kept)), kept).toBe(true);
    expect(await removeLeftLinks(join(d, "missing"))).toEqual([]);
  });
});
