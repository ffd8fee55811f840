// The debootstrapped Debian base the lab and SSH host images start from (ci/lab/base.sh, then
// `docker import`), tagged by a hash of its script and made once when missing.
import { readFile } from "node:fs/promises";
import { packagePath } from "../util/package-root.ts";
import { monoMs } from "../util/clock.ts";
import { imageExists } from "./docker.ts";
import { loggedStep } from "./logged-step.ts";
import { recipeHash, shortHash } from "./recipe-hash.ts";

export const BASE_REPO = "drdrill/bookworm-minbase";
/** The script that makes the base: debootstrap of a minimal bookworm, then `docker import`. */
export const BASE_SCRIPT = packagePath("ci", "lab", "base.sh");

/** drdrill/bookworm-minbase:<hash of the script>. */
export async function baseRef(script = BASE_SCRIPT): Promise<string> {
  const h = recipeHash("debootstrap minbase bookworm").update(await readFile(script));
  return `${BASE_REPO}:${shortHash(h)}`;
}

/** Makes the base image when it is missing; returns the milliseconds spent (0 when it was there). */
export async function ensureBase(
  base: string,
  b: { what: string; env: Record<string, string>; log: string; say: (line: string) => void },
): Promise<number> {
  if (await imageExists(base)) return 0;
  b.say(`building the base image ${base} (debootstrap, about a minute)`);
  const t0 = monoMs();
  await loggedStep(b.what, "base image", "bash", [BASE_SCRIPT, base], b.env, b.log);
  return monoMs() - t0;
}
