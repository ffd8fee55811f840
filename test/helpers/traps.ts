// A data directory full of traps (symlinks and a hard link leading out, a symlink in the middle of a
// path, another file system mounted inside) next to an "outside" folder of canaries whose bytes,
// names and modes must be the same after anything a drill does to the data directory.
import { createHash } from "node:crypto";
import { link, mkdir, readdir, readFile, lstat, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";

export interface TrapTree {
  data: string;
  outside: string;
  /** Paths inside `data` that lead out, by kind. */
  traps: { dirLink: string; fileLink: string; midLink: string; hardlink: string; mount: string | null };
  /** Canaries' digest now (names, types, modes, bytes): compare before and after. */
  canaries(): Promise<string>;
  unmount(): Promise<void>;
}

export async function buildTrapTree(root: string, opts: { mount?: boolean } = {}): Promise<TrapTree> {
  const data = join(root, "data");
  const outside = join(root, "outside");
  await mkdir(join(outside, "dir"), { recursive: true });
  await writeFile(join(outside, "dir", "c.txt"), "canary in a folder\n");
  await writeFile(join(outside, "dir", "big.bin"), Buffer.alloc(64 * 1024, 7));
  await writeFile(join(outside, "file.txt"), "canary file\n");
  await writeFile(join(outside, "hl-canary.txt"), "canary with a second name inside the data\n");
  await mkdir(join(data, "lib/mysql"), { recursive: true });
  await mkdir(join(data, "sub"), { recursive: true });
  for (let i = 0; i < 8; i++) await writeFile(join(data, "lib/mysql", `ib${i}.dat`), Buffer.alloc(8192 + i, i + 1));
  await writeFile(join(data, "sub", "own.txt"), "an ordinary file\n");
  await symlink(join(outside, "dir"), join(data, "ld"));
  await symlink(join(outside, "file.txt"), join(data, "lf"));
  await symlink(join(outside, "dir"), join(data, "sub", "mid"));
  await link(join(outside, "hl-canary.txt"), join(data, "lib/mysql", "hl.dat"));
  let mount: string | null = null;
  if (opts.mount && process.getuid?.() === 0) {
    mount = join(data, "mnt");
    await mkdir(mount);
    await execa("mount", ["-t", "tmpfs", "-o", "size=1m", "drdrill-trap", mount]);
    await writeFile(join(mount, "other-fs.txt"), "on another file system\n");
  }
  return {
    data,
    outside,
    traps: {
      dirLink: "ld",
      fileLink: "lf",
      midLink: "sub/mid",
      hardlink: "lib/mysql/hl.dat",
      mount: mount ? "mnt" : null,
    },
    canaries: () => digestTree(outside),
    async unmount() {
      if (mount) await execa("umount", ["-l", mount], { reject: false });
    },
  };
}

/** A digest of a tree: every name, type, mode, size and content. */
export async function digestTree(dir: string): Promise<string> {
  const h = createHash("sha256");
  const walk = async (d: string, rel: string): Promise<void> => {
    for (const name of (await readdir(d)).sort()) {
      const p = join(d, name);
      const st = await lstat(p);
      h.update(`${rel}/${name}\0${st.mode}\0${st.size}\0`);
      if (st.isDirectory()) await walk(p, `${rel}/${name}`);
      else if (st.isFile()) h.update(await readFile(p));
    }
  };
  await walk(dir, "");
  return h.digest("hex");
}
