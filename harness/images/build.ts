// Building an image on the local base: the base made if missing, then a classic `docker build` of
// the recipe, tagged by the recipe's hash so an unchanged recipe is a no-op; no registry is used.
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EnvironmentError } from "../model/errors.ts";
import { monoMs } from "../util/clock.ts";
import { ensureBase } from "./base.ts";
import { docker, imageExists, imageTags, requireDocker } from "./docker.ts";
import { LABELS } from "./labels.ts";
import { loggedStep } from "./logged-step.ts";
import { mirrorBuildEnv } from "./mirror.ts";

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

/** What one image on the base is. */
export interface ImageOnBase {
  /** Short name: the log file is `drdrill-<name>-build-<hash>.log`, the build step `<name> image`. */
  name: string;
  /** How the build is named in its errors ("lab build", "sshd image build"). */
  what: string;
  refs: () => Promise<{ image: string; base: string; hash: string }>;
  /** The folder `docker build` reads. */
  context: string;
  /** What the person waits for, after the image's name ("docker build; a few minutes from scratch"). */
  note: string;
  /** Repositories whose other tags this build removes (older recipes, ~1.4 GB each). */
  prune: string[];
}

/** Removes the repositories' tags other than `keep`; one still used by a container stays. */
export async function pruneTags(repos: string[], keep: string[]): Promise<void> {
  for (const repo of repos)
    for (const tag of await imageTags(repo)) if (!keep.includes(tag)) await docker(["rmi", tag]);
}

export async function buildOnBase(spec: ImageOnBase, opts: BuildOptions = {}): Promise<BuildResult> {
  const say = opts.say ?? (() => {});
  const t0 = monoMs();
  await requireDocker();
  const refs = await spec.refs();
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
  const env = await mirrorBuildEnv(spec.what);
  const log = join(tmpdir(), `drdrill-${spec.name}-build-${refs.hash}.log`);
  const baseMs = await ensureBase(refs.base, { what: spec.what, env, log, say });
  say(`building ${refs.image} (${spec.note}); log: ${log}`);
  const b1 = monoMs();
  await loggedStep(
    spec.what,
    `${spec.name} image`,
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
      spec.context,
    ],
    env,
    log,
  );
  const buildMs = monoMs() - b1;
  await pruneTags(spec.prune, [refs.image, refs.base]);
  return { image: refs.image, base: refs.base, cached: false, baseMs, buildMs, totalMs: monoMs() - t0, logFile: log };
}

/** `image` when Docker has it, else an EnvironmentError with `notBuilt` (which says how to build it). */
export async function requireImage(image: string, notBuilt: string): Promise<string> {
  await requireDocker();
  if (!(await imageExists(image))) throw new EnvironmentError(notBuilt);
  return image;
}
