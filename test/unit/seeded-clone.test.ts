// Seeding by clone as a user relies on it: the clone is the tree (contents, modes, times, links, hard
// links), and a clone's manifest that takes the tree's hashes still reads every file changed since.
import { link, mkdir, readFile, stat, symlink, utimes, writeFile, chmod } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { localDir } from "../../harness/agent/local-dir.ts";
import { LocalExecutor } from "../../harness/exec/local-executor.ts";
import type { KnownFile, Manifest } from "../../harness/model/manifest.ts";
import { copyTree } from "../../harness/targets/local/copy-tree.ts";
import { SecretStore } from "../../harness/util/secrets.ts";
import { tmp } from "../helpers/tmp.ts";

const exec = () => new LocalExecutor(tmpdir(), new SecretStore());

async function tree(dir: string): Promise<void> {
  await mkdir(join(dir, "src/sub"), { recursive: true });
  await mkdir(join(dir, "etc"), { recursive: true });
  for (let i = 0; i < 12; i++)
    await writeFile(
      join(dir, i % 2 ? "src/sub" : "src", `f${i}.c`),
      `int f${i}(void) { return ${i}; }\n`.repeat(50 + i),
    );
  await writeFile(join(dir, "etc/secret.conf"), "key = 1\n");
  await chmod(join(dir, "etc/secret.conf"), 0o600);
  await writeFile(join(dir, "top.txt"), "top\n");
  await symlink("src/f0.c", join(dir, "link-to-f0"));
  await utimes(join(dir, "src/f2.c"), new Date("2001-02-03T04:05:06Z"), new Date("2001-02-03T04:05:06Z"));
  await chmod(dir, 0o750);
  await utimes(dir, new Date("2010-01-01T00:00:00Z"), new Date("2010-01-01T00:00:00Z"));
}

const manifest = async (
  dir: string,
  opts: Parameters<ReturnType<typeof localDir>["manifest"]>[0] = {},
): Promise<Manifest> => {
  const d = localDir(dir);
  try {
    return await d.manifest(opts);
  } finally {
    d.agent.close();
  }
};
const sizeOf = async (dir: string) => {
  const d = localDir(dir);
  try {
    return await d.size();
  } finally {
    d.agent.close();
  }
};
const strip = (m: Manifest) => JSON.stringify(Object.entries(m.entries).sort(([a], [b]) => a.localeCompare(b)));

describe("copying a tree to seed a run", () => {
  it(
    "split over two copiers, the clone is the tree: contents, " + "modes, owners, times, symlinks, the folder itself",
    async () => {
      const d = await tmp();
      await tree(join(d, "from"));
      // The size walk a pristine copy is measured with says whether the split is safe.
      expect(await sizeOf(join(d, "from"))).toMatchObject({ files: 14, hardLinked: 0 });
      const how = await copyTree(exec(), join(d, "from"), join(d, "to"), { workers: 2 });
      expect(how).toMatch(/^cp -a --reflink=auto, 2 at once$/);
      expect(strip(await manifest(join(d, "to")))).toBe(strip(await manifest(join(d, "from"))));
    },
  );

  it("a tree with hard links is copied by one copier, which keeps them", async () => {
    const d = await tmp();
    await tree(join(d, "from"));
    await link(join(d, "from/src/f0.c"), join(d, "from/etc/f0-again.c"));
    // Counted once, and known as linked: a pristine copy tells the copier so, and it looks no further.
    expect(await sizeOf(join(d, "from"))).toMatchObject({ files: 14, hardLinked: 1 });
    expect(await copyTree(exec(), join(d, "from"), join(d, "to"), { workers: 2 })).toBe("cp -a --reflink=auto");
    expect(await copyTree(exec(), join(d, "from"), join(d, "told"), { workers: 2, hardLinks: true })).toBe(
      "cp -a --reflink=auto",
    );
    for (const to of ["to", "told"]) {
      const m = await manifest(join(d, to));
      expect(m.entries["src/f0.c"]!.hardlinkOf ?? m.entries["etc/f0-again.c"]!.hardlinkOf).toBeDefined();
      expect(strip(m)).toBe(strip(await manifest(join(d, "from"))));
    }
  });
});

describe("a clone's manifest with the tree's hashes", () => {
  async function cloned() {
    const d = await tmp();
    const from = join(d, "from");
    const to = join(d, "to");
    await tree(from);
    const full = await manifest(from);
    const known = new Map<string, KnownFile>();
    for (const [rel, e] of Object.entries(full.entries))
      if (e.type === "file") known.set(rel, { size: e.size, mtimeNs: e.mtimeNs, sha256: e.sha256! });
    await copyTree(exec(), from, to, { workers: 2 });
    await writeFile(join(d, "seeded"), "");
    const unchangedBeforeCtimeNs = String((await stat(join(d, "seeded"), { bigint: true })).ctimeNs);
    return { to, known, seeded: { known: async () => known, unchangedBeforeCtimeNs } };
  }

  it(
    "takes the hashes of the files not touched since " + "the clone, and gives the manifest reading them would",
    async () => {
      const { to, seeded } = await cloned();
      const m = await manifest(to, { seeded });
      expect(m.hashesReused).toBe(14);
      expect(strip(m)).toBe(strip(await manifest(to)));
    },
  );

  it("reads again a file changed after the clone, even with its size and mtime put back", async () => {
    const { to, known, seeded } = await cloned();
    const f = join(to, "src/f2.c");
    const before = await stat(f);
    const text = await readFile(f, "utf8");
    await writeFile(f, text.replace("return 2", "return 9"));
    await utimes(f, before.atime, before.mtime);
    await writeFile(join(to, "src/new.c"), "new\n");
    const m = await manifest(to, { seeded });
    const truth = await manifest(to);
    // Size and mtime are what the tree says: only the ctime tells the file changed.
    expect([m.entries["src/f2.c"]!.size, m.entries["src/f2.c"]!.mtimeNs]).toEqual([
      known.get("src/f2.c")!.size,
      known.get("src/f2.c")!.mtimeNs,
    ]);
    expect(m.entries["src/f2.c"]!.sha256).toBe(truth.entries["src/f2.c"]!.sha256);
    expect(m.entries["src/new.c"]!.sha256).toBe(truth.entries["src/new.c"]!.sha256);
    expect(m.hashesReused).toBe(13);
    expect(strip(m)).toBe(strip(truth));
  });

  it("a known hash whose size or mtime disagree with the clone's file is not used", async () => {
    const { to, known, seeded } = await cloned();
    known.set("top.txt", { ...known.get("top.txt")!, mtimeNs: "1", sha256: "0".repeat(64) });
    const m = await manifest(to, { seeded });
    expect(m.entries["top.txt"]!.sha256).toBe((await manifest(to)).entries["top.txt"]!.sha256);
    expect(m.hashesReused).toBe(13);
  });
});
