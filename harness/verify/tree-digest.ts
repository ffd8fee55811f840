// A digest of a whole tree as a manifest gives it (every entry's path, type, size, mode, owner, mtime,
// link target, hard-link group, xattrs and content hash), and the entries two manifests disagree on:
// what proves a folder drdrill only read (production under `sandbox: clone`) was left as it was.
import { createHash } from "node:crypto";
import type { Manifest, ManifestEntry } from "../model/manifest.ts";

function line(rel: string, e: ManifestEntry): string {
  const xattrs = e.xattrs
    ? Object.keys(e.xattrs)
        .sort()
        .map((k) => `${k}=${e.xattrs![k]}`)
        .join(",")
    : "";
  return [
    rel,
    e.type,
    e.size,
    e.mode.toString(8),
    e.uid,
    e.gid,
    e.mtimeNs,
    e.link ?? "",
    e.hardlinkOf ?? "",
    xattrs,
    e.sha256 ?? "",
  ].join("\0");
}

/** `sha256:` and the hex digest of every entry's line, in path order. */
export function treeDigest(m: Manifest): string {
  const h = createHash("sha256");
  for (const rel of Object.keys(m.entries).sort()) h.update(`${line(rel, m.entries[rel]!)}\n`);
  return `sha256:${h.digest("hex")}`;
}

/** What differs between two manifests of one tree: paths added, removed or changed (with what changed). */
export function treeChanges(before: Manifest, after: Manifest): string[] {
  const out: string[] = [];
  const fields: (keyof ManifestEntry)[] = ["type", "size", "mode", "uid", "gid", "mtimeNs", "link", "sha256"];
  for (const rel of Object.keys(before.entries).sort()) {
    const a = before.entries[rel]!;
    const b = after.entries[rel];
    if (!b) {
      out.push(`${rel}: removed`);
      continue;
    }
    const what = fields.filter((f) => a[f] !== b[f]).map((f) => (f === "sha256" ? "content" : f));
    if (line(rel, a) !== line(rel, b)) out.push(`${rel}: ${what.length > 0 ? what.join(", ") : "metadata"} changed`);
  }
  for (const rel of Object.keys(after.entries).sort()) if (!before.entries[rel]) out.push(`${rel}: added`);
  return out;
}
