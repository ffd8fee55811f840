// A manifest of a directory tree: type, size, sha256, mode, owner, mtime (ns), link target,
// hardlink groups and xattrs of every entry, keyed by relative path.
import { createHash } from "node:crypto";
import { lstat, readdir, readlink } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { hashFiles } from "./hash-pool.ts";

export type EntryType = "file" | "dir" | "symlink" | "fifo" | "socket" | "char" | "block";

export interface ManifestEntry {
  type: EntryType;
  size: number;
  mode: number;
  uid: number;
  gid: number;
  /** Modification time in nanoseconds since the epoch, as a decimal string. */
  mtimeNs: string;
  sha256?: string;
  link?: string;
  /** Path of the first entry of this entry's hardlink group (files with nlink > 1). */
  hardlinkOf?: string;
  xattrs?: Record<string, string>;
}

export interface Manifest {
  root: string;
  takenAt: string;
  entries: Record<string, ManifestEntry>;
  files: number;
  bytes: number;
  /** Whether xattrs were read (getfattr present). */
  xattrsRead: boolean;
}

function typeOf(st: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean }): EntryType {
  if (st.isFile()) return "file";
  if (st.isDirectory()) return "dir";
  if (st.isSymbolicLink()) return "symlink";
  if (st.isFIFO()) return "fifo";
  if (st.isSocket()) return "socket";
  return st.isCharacterDevice() ? "char" : "block";
}

/** Reads all xattrs under root with one getfattr call; null when getfattr is not installed. */
async function readXattrs(root: string): Promise<Map<string, Record<string, string>> | null> {
  const r = await execa("getfattr", ["-R", "-P", "-d", "-m", "-", "-e", "hex", "--absolute-names", root], { reject: false, encoding: "utf8", maxBuffer: 256 << 20 });
  if (r.failed && (r as { code?: string }).code === "ENOENT") return null;
  const map = new Map<string, Record<string, string>>();
  let current: Record<string, string> | null = null;
  for (const line of String(r.stdout).split("\n")) {
    if (line.startsWith("# file: ")) {
      current = {};
      const abs = line.slice(8);
      map.set(abs === root ? "." : abs.slice(root.length + 1), current);
    } else if (current && line.includes("=")) {
      const eq = line.indexOf("=");
      current[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  return map;
}

export async function buildManifest(root: string, opts: { exclude?: string[] } = {}): Promise<Manifest> {
  const exclude = new Set(opts.exclude ?? []);
  const entries: Record<string, ManifestEntry> = {};
  const hashJobs: { rel: string; path: string; size: number }[] = [];
  const inodes = new Map<string, string>();

  async function walk(rel: string): Promise<void> {
    const abs = rel === "." ? root : join(root, rel);
    const st = await lstat(abs, { bigint: true });
    const type = typeOf(st);
    const e: ManifestEntry = {
      type,
      size: type === "file" || type === "symlink" ? Number(st.size) : 0,
      mode: Number(st.mode) & 0o7777,
      uid: Number(st.uid),
      gid: Number(st.gid),
      mtimeNs: st.mtimeNs.toString(),
    };
    if (type === "symlink") e.link = await readlink(abs);
    if (type === "file") {
      if (st.nlink > 1n) {
        const key = `${st.dev}:${st.ino}`;
        const first = inodes.get(key);
        if (first) e.hardlinkOf = first;
        else inodes.set(key, rel);
      }
      hashJobs.push({ rel, path: abs, size: Number(st.size) });
    }
    entries[rel] = e;
    if (type === "dir") {
      const names = (await readdir(abs)).sort();
      for (const name of names) {
        const child = rel === "." ? name : `${rel}/${name}`;
        if (!exclude.has(child)) await walk(child);
      }
    }
  }

  await walk(".");
  const [digests, xattrs] = await Promise.all([hashFiles(hashJobs), readXattrs(root).catch(() => null)]);
  hashJobs.forEach((j, i) => (entries[j.rel]!.sha256 = digests[i]));
  if (xattrs) for (const [rel, attrs] of xattrs) if (entries[rel] && Object.keys(attrs).length > 0) entries[rel]!.xattrs = attrs;
  let bytes = 0;
  for (const j of hashJobs) if (!entries[j.rel]!.hardlinkOf) bytes += j.size;
  return { root, takenAt: new Date().toISOString(), entries, files: hashJobs.length, bytes, xattrsRead: xattrs !== null };
}

/** A short digest of the manifest's content, to show that two manifests are the same. */
export function manifestDigest(m: Manifest): string {
  const h = createHash("sha256");
  for (const rel of Object.keys(m.entries).sort()) {
    const e = m.entries[rel]!;
    h.update(`${rel}\0${e.type}\0${e.sha256 ?? ""}\0${e.link ?? ""}\n`);
  }
  return h.digest("hex").slice(0, 16);
}

/** The manifest without the given paths (and everything below them). */
export function withoutPaths(m: Manifest, paths: string[]): Manifest {
  if (paths.length === 0) return m;
  const drop = (rel: string) => paths.some((p) => rel === p || rel.startsWith(`${p}/`));
  const entries = Object.fromEntries(Object.entries(m.entries).filter(([rel]) => !drop(rel)));
  return { ...m, entries };
}
