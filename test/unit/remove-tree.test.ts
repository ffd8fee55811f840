// A finished run's trees leave its path at once and are deleted after the reports (the next run does
// not share the disk with the deletion), or at once when the file system is short of space.
import { mkdir, readdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { heldRemovals, removeTree, settleRemovals } from "../../harness/runner/remove-tree.ts";
import { tmp } from "../helpers/tmp.ts";

async function tree(dir: string): Promise<void> {
  await mkdir(join(dir, "common/sub"), { recursive: true });
  await writeFile(join(dir, "common/sub/f"), "x".repeat(1000));
}
const exists = (p: string) => stat(p).then(() => true, () => false);

describe("removing a run's trees", () => {
  it("takes the folder out of its path at once and deletes it when the removals are settled", async () => {
    const d = await tmp();
    await tree(join(d, "run-1"));
    expect(await removeTree(join(d, "run-1"), { reserve: 0 })).toBe("held");
    expect(await exists(join(d, "run-1"))).toBe(false);
    const aside = (await readdir(d)).filter((n) => n.startsWith("run-1.removing-"));
    expect(aside).toHaveLength(1);
    expect(heldRemovals()).toContain(join(d, aside[0]!));
    // Still there (with its files) until the invocation settles its removals.
    expect(await exists(join(d, aside[0]!, "common/sub/f"))).toBe(true);
    await settleRemovals();
    expect(await readdir(d)).toEqual([]);
    expect(heldRemovals()).toEqual([]);
  });

  it("deletes at once, and waits, when the file system has less than the reserve free", async () => {
    const d = await tmp();
    await tree(join(d, "run-2"));
    // No file system has more than all of its space free.
    expect(await removeTree(join(d, "run-2"), { reserve: 1.01 })).toBe("removed");
    expect(await readdir(d)).toEqual([]);
  });

  it("a folder that is not there is nothing to do", async () => {
    const d = await tmp();
    expect(await removeTree(join(d, "never-made"))).toBe("absent");
  });

  it("a held tree inside a folder removed after it goes with it", async () => {
    const d = await tmp();
    await tree(join(d, "work/run-1"));
    await tree(join(d, "work/run-2"));
    expect(await removeTree(join(d, "work/run-1"), { reserve: 0 })).toBe("held");
    expect(await removeTree(join(d, "work"), { reserve: 0 })).toBe("held");
    await settleRemovals();
    expect(await readdir(d)).toEqual([]);
  });
});
