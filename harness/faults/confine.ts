// Problems with a path relative to the data directory that show without touching the disk (absolute,
// or leaving through ".."). Everything else (symlinks, hard links, mounts) is refused by the agent,
// on the target, at the moment a file is touched.
import { isAbsolute, normalize, sep } from "node:path";

export function lexicalPathProblems(rel: string): string[] {
  if (rel.length === 0) return ["path is empty"];
  if (rel.includes("\0")) return ["path holds a NUL byte"];
  if (isAbsolute(rel)) return [`"${rel}" is absolute; give a path relative to the data directory`];
  const norm = normalize(rel);
  if (norm === ".." || norm.startsWith(`..${sep}`)) return [`"${rel}" leaves the data directory`];
  return [];
}
