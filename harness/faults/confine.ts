// Keeps faults inside their sandbox: relative paths only, no "..", no symlink that leads out.
import { realpath } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, normalize, relative, resolve, sep } from "node:path";

/** Problems with a path relative to a root, found without touching the disk. */
export function lexicalPathProblems(rel: string): string[] {
  if (rel.length === 0) return ["path is empty"];
  if (isAbsolute(rel)) return [`"${rel}" is absolute; give a path relative to the data directory`];
  const norm = normalize(rel);
  if (norm === ".." || norm.startsWith(`..${sep}`)) return [`"${rel}" leaves the data directory`];
  return [];
}

export function isInside(root: string, p: string): boolean {
  const r = relative(root, p);
  return r === "" || (r !== ".." && !r.startsWith(`..${sep}`) && !isAbsolute(r));
}

/** realpath of the nearest existing ancestor, with the part that does not exist yet appended. */
async function realpathLoose(p: string): Promise<string> {
  let rest = "";
  let cur = p;
  for (;;) {
    try {
      return join(await realpath(cur), rest);
    } catch {
      const up = dirname(cur);
      if (up === cur) return p;
      rest = join(basename(cur), rest);
      cur = up;
    }
  }
}

/**
 * Resolves `rel` under `root`; throws if it, or any symlink among its parents, leads outside `root`.
 * The last component is returned unresolved: a symlink there is acted on itself, never followed.
 */
export async function confine(root: string, rel: string): Promise<string> {
  const problems = lexicalPathProblems(rel);
  if (problems.length > 0) throw new Error(problems.join("; "));
  const realRoot = await realpath(root);
  const target = resolve(realRoot, rel);
  if (target === realRoot) return realRoot;
  const real = join(await realpathLoose(dirname(target)), basename(target));
  if (!isInside(realRoot, real)) throw new Error(`"${rel}" resolves to ${real}, outside ${realRoot}`);
  return real;
}
