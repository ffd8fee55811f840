// Pure helpers on manifests: a short digest of their content, and a manifest without some paths.
import { createHash } from "node:crypto";
import type { Manifest } from "../model/manifest.ts";

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

export function emptyManifest(root: string): Manifest {
  return { root, takenAt: new Date().toISOString(), entries: {}, files: 0, bytes: 0, xattrsRead: false };
}
