// Bind mounts inside a data directory: a folder (and a file) of this very file system bound into it
// have its st_dev, so only the mount table tells them apart. No agent operation enters, changes or
// deletes through one; each names it as left alone; a restore swapped in keeps it where it was.
import { execa } from "execa";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfinedDir } from "../../harness/agent/confined-dir.ts";
import { localAgent } from "../../harness/agent/local-dir.ts";
import { mountsUnder } from "../../harness/util/mounts.ts";
import { tmp } from "../helpers/tmp.ts";
import { digestTree } from "../helpers/traps.ts";

const MOUNT = /a mount point \(a bind mount or another file system\); not entered, left alone/;

let top: string;
let data: string;
let outside: string;
let before: string;
let dir: ConfinedDir;
let own: ConfinedDir;

async function mounted(): Promise<string[]> {
  return ((await mountsUnder(top)) ?? []).map((m) => m.slice(top.length + 1)).sort();
}

beforeEach(async () => {
  top = await tmp();
  data = join(top, "data");
  outside = join(top, "outside");
  await mkdir(join(outside, "bound/deep"), { recursive: true });
  await writeFile(join(outside, "bound/a.dat"), "outside a\n");
  await writeFile(join(outside, "bound/deep/b.dat"), "outside b\n");
  await writeFile(join(outside, "file.txt"), "an outside file bound onto a file inside\n");
  await mkdir(join(data, "lib/mysql"), { recursive: true });
  await mkdir(join(data, "lib/extra"));
  await mkdir(join(data, "sub"));
  await writeFile(join(data, "lib/mysql/ib0.dat"), Buffer.alloc(4096, 1));
  await writeFile(join(data, "sub/bound.txt"), "");
  await execa("mount", ["--bind", join(outside, "bound"), join(data, "lib/extra")]);
  await execa("mount", ["--bind", join(outside, "file.txt"), join(data, "sub/bound.txt")]);
  before = await digestTree(outside);
  const agent = localAgent();
  dir = new ConfinedDir(agent, data, "data directory");
  own = new ConfinedDir(agent, top, "run folder");
});

afterEach(async () => {
  expect(await digestTree(outside)).toBe(before);
  dir.agent.close();
  for (const m of ((await mountsUnder(top)) ?? []).sort().reverse()) await execa("umount", ["-l", m]);
});

describe.skipIf(process.getuid?.() !== 0)("bind mounts inside the root", () => {
  it("deleting everything, or the folder holding one, leaves the mount points and says so", async () => {
    const r = await dir.delete(["lib", "."]);
    const said = r.refused.map((x) => `${x.path}: ${x.reason}`).join("\n");
    expect(said).toMatch(new RegExp(`lib/extra: ${MOUNT.source}`));
    expect(said).toMatch(new RegExp(`sub/bound.txt: ${MOUNT.source}`));
    expect(await mounted()).toEqual(["data/lib/extra", "data/sub/bound.txt"]);
    expect((await dir.stat(["lib/mysql"]))["lib/mysql"]).toBeNull();
  });

  it("the readers do not enter it: manifest, list and size name it instead", async () => {
    const m = await dir.manifest();
    expect(Object.keys(m.entries).filter((k) => k.startsWith("lib/extra/"))).toEqual([]);
    expect(m.notEntered).toEqual(["lib/extra"]);
    const l = await dir.list();
    expect(l.files.map((f) => f.path)).toEqual(["lib/mysql/ib0.dat"]);
    expect(l.skipped.map((s) => s.path).sort()).toEqual(["lib/extra", "sub/bound.txt"]);
    expect((await dir.size()).otherMounts).toBe(1);
  });

  it("a file bound onto a file inside is neither written, patched, encrypted nor read as the data's", async () => {
    await expect(dir.write("sub/bound.txt", "x")).rejects.toThrow(MOUNT);
    const p = await dir.patch([{ path: "sub/bound.txt", offset: 0, length: 4, mode: "flip" }]);
    expect(p.refused[0]?.reason).toMatch(MOUNT);
    expect((await dir.encrypt(["sub/bound.txt"], ".locked")).refusedCount).toBe(1);
    await expect(dir.read("sub/bound.txt")).rejects.toThrow(MOUNT);
    await expect(dir.write("lib/extra/new.txt", "x")).rejects.toThrow(MOUNT);
  });

  it("a restore put in place keeps the mount points where they are; what they block is not placed", async () => {
    await mkdir(join(top, "stage/data/lib/mysql"), { recursive: true });
    await mkdir(join(top, "stage/data/lib/extra"), { recursive: true });
    await writeFile(join(top, "stage/data/lib/mysql/ib0.dat"), "restored\n");
    await writeFile(join(top, "stage/data/lib/extra/a.dat"), "a restored copy of what was bound\n");
    await writeFile(join(top, "stage/data/top.txt"), "restored top\n");
    const r = await own.replace("stage/data", "data");
    expect(r.mode).toBe("contents");
    const said = r.refused.map((x) => `${x.path}: ${x.reason}`).join("\n");
    expect(said).toMatch(new RegExp(`data/lib/extra: ${MOUNT.source}`));
    expect(said).toMatch(/stage\/data\/lib\/extra: the restored copy was not put in place: a mount point/);
    expect(await readFile(join(data, "lib/mysql/ib0.dat"), "utf8")).toBe("restored\n");
    expect(await readFile(join(data, "top.txt"), "utf8")).toBe("restored top\n");
    // the file bound at sub/bound.txt stays; its folder is not in the restored tree, but holds a mount point
    expect(await mounted()).toEqual(["data/lib/extra", "data/sub/bound.txt"]);
    expect(await readFile(join(data, "lib/extra/a.dat"), "utf8")).toBe("outside a\n");
  });

  it("the lab's swap of contents (contents: true) keeps them too", async () => {
    await mkdir(join(top, "stage/data/lib"), { recursive: true });
    await writeFile(join(top, "stage/data/lib/new.txt"), "n");
    const r = await own.replace("stage/data", "data", { contents: true });
    expect(r).toMatchObject({ mode: "contents", moved: 1 });
    expect(await readFile(join(data, "lib/new.txt"), "utf8")).toBe("n");
    expect(await mounted()).toEqual(["data/lib/extra", "data/sub/bound.txt"]);
  });
});
