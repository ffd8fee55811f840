// Builds the SSH host image: the lab's debootstrapped base (made if missing), then a classic
// `docker build` of ci/sshd, tagged by the recipe's hash so an unchanged recipe is a no-op.
import { execa } from "execa";
import { createWriteStream } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BuildOptions, BuildResult } from "../lab/build.ts";
import { docker, imageExists, imageTags, requireDocker } from "../lab/docker.ts";
import { hostDebianMirrors } from "../lab/mirror.ts";
import { LABELS, RECIPE_DIR as LAB_RECIPE_DIR } from "../lab/names.ts";
import { EnvironmentError } from "../model/errors.ts";
import { monoMs } from "../util/clock.ts";
import { SSHD_IMAGE_REPO, SSHD_RECIPE_DIR } from "./names.ts";
import { sshdRecipeRefs } from "./recipe.ts";

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
    throw new EnvironmentError(`sshd image build: ${label} failed (exit ${r.exitCode}); the log is ${log}`);
}

/** Removes older drdrill/sshd images only (the lab's images and base are the lab's to prune). */
async function pruneOld(keep: string): Promise<void> {
  for (const tag of await imageTags(SSHD_IMAGE_REPO)) if (tag !== keep) await docker(["rmi", tag]);
}

export async function buildSshdImage(opts: BuildOptions = {}): Promise<BuildResult> {
  const say = opts.say ?? (() => {});
  const t0 = monoMs();
  await requireDocker();
  const refs = await sshdRecipeRefs();
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
      "sshd image build: no Debian bookworm mirror in this host's apt sources; set DRDRILL_DEBIAN_MIRROR",
    );
  const log = join(tmpdir(), `drdrill-sshd-build-${refs.hash}.log`);
  // The mirrors travel in the environment only: `--build-arg NAME` without a value reads it from there.
  const env = { DEBIAN_MIRROR: mirrors.main, DEBIAN_SECURITY_MIRROR: mirrors.security, DOCKER_BUILDKIT: "0" };

  let baseMs = 0;
  if (!(await imageExists(refs.base))) {
    say(`building the base image ${refs.base} (debootstrap, about a minute)`);
    const b0 = monoMs();
    await step("base image", "bash", [join(LAB_RECIPE_DIR, "base.sh"), refs.base], env, log);
    baseMs = monoMs() - b0;
  }
  say(`building ${refs.image} (docker build); log: ${log}`);
  const b1 = monoMs();
  await step(
    "sshd image",
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
      SSHD_RECIPE_DIR,
    ],
    env,
    log,
  );
  const buildMs = monoMs() - b1;
  await pruneOld(refs.image);
  return { image: refs.image, base: refs.base, cached: false, baseMs, buildMs, totalMs: monoMs() - t0, logFile: log };
}

/** The image for the current recipe, or an EnvironmentError that says how to build it. */
export async function requireSshdImage(): Promise<string> {
  await requireDocker();
  const { image } = await sshdRecipeRefs();
  if (!(await imageExists(image)))
    throw new EnvironmentError(
      `the SSH host image ${image} is not built (or ci/sshd changed): call buildSshdImage() from harness/sshd/build.ts`,
    );
  return image;
}
