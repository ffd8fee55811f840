// drdrill's own folder: the root of the package, found from this file whether it runs from the sources
// (harness/util/) or compiled (dist/harness/util/). Files read at run time from outside harness/ and
// reports/ (package.json, the ci/ image recipes, the scenario schema) are found from it.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let root: string | undefined;

/** The folder that holds drdrill's package.json (the nearest one up from this file). */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const found = readName(join(dir, "package.json"));
    if (found === "drdrill") return (root = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error(`drdrill's package.json is not above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

function readName(file: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(file, "utf8")) as { name?: string }).name;
  } catch {
    return undefined;
  }
}

/** A path inside the package, e.g. packagePath("ci", "lab", "base.sh"). */
export const packagePath = (...parts: string[]): string => join(packageRoot(), ...parts);

/** drdrill's version, from its package.json. */
export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(packagePath("package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}
