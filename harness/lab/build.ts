// `drdrill lab build`: debootstrap -> docker import (base) -> classic `docker build` (lab image),
// tagged by the recipe's hash so an unchanged recipe is a no-op; no container registry is used.
import { execa } from "execa";
import { createWriteStream } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EnvironmentError } from "../model/errors.ts";
import { monoMs } from "../util/clock.ts";
import { docker, imageExists, imageTags, requireDocker } from "./docker.ts";
import { hostDebianMirrors } from "./mirror.ts";
import { LAB_BASE_REPO, LAB_IMAGE_REPO, LABELS, RECIPE_DIR } from "./names.ts";
import { recipeRefs } from "./recipe.ts";

export interface BuildOptions {
  /** Rebuild even when an image for this recipe exists (the base and docker's layer cache still apply). */
  force?: boolean;
  /** One line per step, for the person watching. */
  say?: (line: string) => void;
}

export interface BuildResult {
  image: string;
  base: string;
  /** True when nothing had to be built. */
  cached: boolean;
  baseMs: number;
  buildMs: number;
  totalMs: number;
  logFile: string | null;
}

async function step(
  label: string,
  cmd: string,
  args: string[],
  env: Record<string, string>,
  log: string,
): Promise<void> {
  const out = createWriteStream(log, { flags: "a" });
  out.write(`\n== ${label}: ${cmd} ${args.join(" ")}\n`);
  const child = execa(cmd, args, { env, reject: false, stdin: "ignore", all: true, buffer: false });
  child.all?.pipe(out, { end: false });
  const r = await child;
  await new Promise<void>((res) => out.end(res));
  if (r.exitCode !== 0)
    throw new EnvironmentError(`lab build: ${label} failed (exit ${r.exitCode}); the log is ${log}`);
}

/** Removes images of older recipes (each is ~1.4 GB); one still used by a container stays. */
async function pruneOld(keep: string[]): Promise<void> {
  for (const repo of [LAB_IMAGE_REPO, LAB_BASE_REPO]) {
    for (const tag of await imageTags(repo)) if (!keep.includes(tag)) await docker(["rmi", tag]);
  }
}

export async function buildLabImage(opts: BuildOptions = {}): Promise<BuildResult> {
  const say = opts.say ?? (() => {});
  const t0 = monoMs();
  await requireDocker();
  const refs = await recipeRefs();
  if (!opts.force && (await imageExists(refs.image))) {
    return {
      image: refs.image,
      base: refs.base,
      cached: true,
      baseMs: 0,
      buildMs: 0,
      totalMs: monoMs() - t0,
      logFile: null,
    };
  }
  const mirrors = await hostDebianMirrors();
  if (!mirrors)
    throw new EnvironmentError(
      "lab build: no Debian bookworm mirror in this host's apt sources; set DRDRILL_DEBIAN_MIRROR",
    );
  const log = join(tmpdir(), `drdrill-lab-build-${refs.hash}.log`);
  // The mirrors travel in the environment only: `--build-arg NAME` without a value reads it from there.
  const env = { DEBIAN_MIRROR: mirrors.main, DEBIAN_SECURITY_MIRROR: mirrors.security, DOCKER_BUILDKIT: "0" };

  let baseMs = 0;
  if (!(await imageExists(refs.base))) {
    say(`building the base image ${refs.base} (debootstrap, about a minute)`);
    const b0 = monoMs();
    await step("base image", "bash", [join(RECIPE_DIR, "base.sh"), refs.base], env, log);
    baseMs = monoMs() - b0;
  }
  say(`building ${refs.image} (docker build; a few minutes from scratch, less with cached layers); log: ${log}`);
  const b1 = monoMs();
  await step(
    "lab image",
    "docker",
    [
      "build",
      "--rm",
      "--force-rm",
      "--build-arg",
      `BASE_IMAGE=${refs.base}`,
      "--build-arg",
      "DEBIAN_MIRROR",
      "--build-arg",
      "DEBIAN_SECURITY_MIRROR",
      "--label",
      `${LABELS.recipe}=${refs.hash}`,
      "-t",
      refs.image,
      join(RECIPE_DIR, "image"),
    ],
    env,
    log,
  );
  const buildMs = monoMs() - b1;
  await pruneOld([refs.image, refs.base]);
  return { image: refs.image, base: refs.base, cached: false, baseMs, buildMs, totalMs: monoMs() - t0, logFile: log };
}

/** The image for the current recipe, or an EnvironmentError that says to build it. */
export async function requireLabImage(): Promise<string> {
  await requireDocker();
  const { image } = await recipeRefs();
  if (!(await imageExists(image)))
    throw new EnvironmentError(
      `the lab image ${image} is not built (or the recipe in ci/lab changed): run \`node bin/drdrill.js lab build\``,
    );
  return image;
}
