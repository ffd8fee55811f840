// Compares a restored tree's manifest with the one taken at backup: content and type strictly,
// metadata per attribute at the tool's stated precision (reported as fidelity). Sockets, which no
// tool stores, are counted apart and never required back; what lay in a folder the backup's walk
// did not enter (a mount point) is not judged.
import type { Manifest, ManifestEntry } from "../model/manifest.ts";
import {
  ATTRIBUTES,
  NOT_STORED,
  type Attribute,
  type Mismatch,
  type MismatchKind,
  type Verification,
} from "../model/verification.ts";

/** What a tool keeps of a file besides its content, as measured (shared/FACTS.md). */
export interface Fidelity {
  mtimePrecisionMs: number;
  symlinkMtime: boolean;
  hardlinks: boolean;
  xattrs: boolean;
}

const MAX_LISTED = 100;

function sameInode(expected: Manifest, actual: Manifest, rel: string): boolean {
  const e = expected.entries[rel]!;
  const a = actual.entries[rel]!;
  if (!e.hardlinkOf) return true;
  // In the restored tree the pair must again be one inode: same group leader.
  const leader = (m: Manifest, p: string) => m.entries[p]?.hardlinkOf ?? p;
  return leader(actual, rel) === leader(actual, e.hardlinkOf) && a.type === "file";
}

function xattrsEqual(e: ManifestEntry, a: ManifestEntry): boolean {
  return JSON.stringify(e.xattrs ?? {}) === JSON.stringify(a.xattrs ?? {});
}

export function compareManifests(
  expected: Manifest,
  actual: Manifest,
  fidelity: Fidelity,
  required: readonly Attribute[] = [],
): Verification {
  const mismatches: Mismatch[] = [];
  const contentKinds = new Set<MismatchKind>(["missing", "extra", "type", "content", "link"]);
  let count = 0;
  let contentCount = 0;
  const add = (m: Mismatch) => {
    count++;
    if (contentKinds.has(m.kind)) contentCount++;
    if (mismatches.length < MAX_LISTED) mismatches.push(m);
  };
  const fid = Object.fromEntries(
    ATTRIBUTES.map((a) => [
      a,
      {
        checked: 0,
        kept: 0,
        required: required.includes(a),
        ...(a === "mtime" ? { precisionMs: fidelity.mtimePrecisionMs } : {}),
      },
    ]),
  ) as Verification["fidelity"];
  const attr = (a: Attribute, ok: boolean, rel: string, exp: string, act: string) => {
    fid[a].checked++;
    if (ok) fid[a].kept++;
    else if (fid[a].required) add({ path: rel, kind: a, expected: exp, actual: act });
  };

  let filesChecked = 0;
  let filesIdentical = 0;
  let entriesChecked = 0;
  const notStored = { checked: 0, kept: 0, paths: [] as string[] };
  for (const [rel, e] of Object.entries(expected.entries)) {
    const a = actual.entries[rel];
    entriesChecked++;
    if ((NOT_STORED as readonly string[]).includes(e.type)) {
      notStored.checked++;
      if (a?.type === e.type) notStored.kept++;
      if (notStored.paths.length < 5) notStored.paths.push(rel);
      continue;
    }
    if (e.type === "file") filesChecked++;
    if (!a) {
      add({ path: rel, kind: "missing", expected: e.type });
      continue;
    }
    if (a.type !== e.type) {
      add({ path: rel, kind: "type", expected: e.type, actual: a.type });
      continue;
    }
    if (e.type === "file" && a.sha256 === e.sha256 && a.size === e.size) filesIdentical++;
    if (e.type === "file" && (a.sha256 !== e.sha256 || a.size !== e.size)) {
      add({
        path: rel,
        kind: "content",
        expected: `${e.size} B sha256 ${e.sha256?.slice(0, 12)}`,
        actual: `${a.size} B sha256 ${a.sha256?.slice(0, 12)}`,
      });
    }
    if (e.type === "symlink" && a.link !== e.link) add({ path: rel, kind: "link", expected: e.link, actual: a.link });

    if (e.type !== "symlink") attr("mode", a.mode === e.mode, rel, e.mode.toString(8), a.mode.toString(8));
    attr("owner", a.uid === e.uid && a.gid === e.gid, rel, `${e.uid}:${e.gid}`, `${a.uid}:${a.gid}`);
    if (e.type !== "symlink" || fidelity.symlinkMtime) {
      const diffNs = BigInt(a.mtimeNs) - BigInt(e.mtimeNs);
      const tol = BigInt(Math.max(0, fidelity.mtimePrecisionMs)) * 1_000_000n;
      attr("mtime", (diffNs < 0n ? -diffNs : diffNs) <= tol, rel, e.mtimeNs, a.mtimeNs);
    }
    if (e.hardlinkOf)
      attr(
        "hardlinks",
        sameInode(expected, actual, rel),
        rel,
        `link of ${e.hardlinkOf}`,
        a.hardlinkOf ?? "separate file",
      );
    if (expected.xattrsRead && e.xattrs)
      attr("xattrs", xattrsEqual(e, a), rel, JSON.stringify(e.xattrs), JSON.stringify(a.xattrs ?? {}));
  }
  const unseen = (expected.notEntered ?? []).map((p) => `${p}/`);
  for (const rel of Object.keys(actual.entries))
    if (!expected.entries[rel] && !unseen.some((p) => rel.startsWith(p)))
      add({ path: rel, kind: "extra", actual: actual.entries[rel]!.type });
  if (notStored.checked > 0)
    fid.sockets = {
      checked: notStored.checked,
      kept: notStored.kept,
      required: false,
      note: `not stored by backup tools, not required back: ${notStored.paths.join(", ")}${
        notStored.checked > notStored.paths.length ? ", ..." : ""
      }`,
    };

  return {
    filesChecked,
    entriesChecked,
    filesIdentical,
    mismatches,
    mismatchCount: count,
    contentOk: contentCount === 0,
    requiredOk: required.every((r) => fid[r].kept === fid[r].checked),
    fidelity: fid,
  };
}
