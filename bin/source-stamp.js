// The fingerprint of the sources dist/ is compiled from (every file under harness/ and reports/, and
// the build script: path, size, modification time), so the entry point can tell a dist/ built from
// the sources beside it from a stale one. Plain JavaScript: it runs before anything is compiled.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/** What dist/ is built from, relative to the package root. */
export const SOURCE_ROOTS = ["harness", "reports", "scripts/build.mjs"];
/** Written by the build, read by bin/drdrill.js. */
export const STAMP_FILE = "dist/build-stamp.json";

function walk(root, rel, out) {
  const st = statSync(join(root, rel), { throwIfNoEntry: false });
  if (!st) return;
  if (st.isDirectory()) {
    for (const name of readdirSync(join(root, rel)).sort()) walk(root, `${rel}/${name}`, out);
  } else out.push(`${rel}\t${st.size}\t${st.mtimeMs}`);
}

/** The fingerprint of the sources under `root` (a checkout). */
export function sourceStamp(root) {
  const lines = [];
  for (const r of SOURCE_ROOTS) walk(root, r, lines);
  return createHash("sha256").update(lines.join("\n")).digest("hex");
}

/** True when `root`'s dist/ was built from exactly the sources now beside it. */
export function distIsCurrent(root) {
  try {
    const stamp = JSON.parse(readFileSync(join(root, STAMP_FILE), "utf8"));
    return stamp.sources === sourceStamp(root);
  } catch {
    return false;
  }
}
