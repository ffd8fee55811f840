// `drdrill vm build`: the lab image + ci/vm (classic `docker build`) -> `docker export` -> a sparse
// raw ext4 disk, the kernel and the initrd, cached per user under `<cache>/<hash>/`; an unchanged
// recipe on an unchanged lab image is never rebuilt.
import { chmod, mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { EnvironmentError } from "../../model/errors.ts";
import { monoMs } from "../../util/clock.ts";
import { pruneTags } from "../build.ts";
import { imageExists, requireDocker } from "../docker.ts";
import { buildLabImage } from "../lab/build.ts";
import { loggedStep } from "../logged-step.ts";
import { mirrorBuildEnv } from "../mirror.ts";
import { copyBootFiles, exportTree, makeExt4Disk } from "./disk-image.ts";
import { VM_IMAGE_REPO, VM_RECIPE_DIR, vmCacheRoot } from "./names.ts";
import { vmRecipeRefs } from "./recipe.ts";
import { listVms } from "./vm-registry.ts";

export interface VmImage {
  /** `<cache>/<hash>` */
  dir: string;
  /** The raw ext4 base disk (read-only; each VM writes to its own overlay). */
  disk: string;
  kernel: string;
  initrd: string;
  hash: string;
  kernelRelease: string;
  diskBytes: number;
}

export interface VmBuildResult extends VmImage {
  cached: boolean;
  ms: number;
  /** Where the time went (0 for steps not run). */
  labMs: number;
  dockerMs: number;
  exportMs: number;
  diskMs: number;
  logFile: string | null;
}

const MANIFEST = "image.json";

async function readManifest(dir: string): Promise<VmImage | null> {
  const text = await readFile(join(dir, MANIFEST), "utf8").catch(() => null);
  return text
    ? {
        ...(JSON.parse(text) as VmImage),
        dir,
        disk: join(dir, "disk.raw"),
        kernel: join(dir, "vmlinuz"),
        initrd: join(dir, "initrd.img"),
      }
    : null;
}

/** Cached images of older recipes (~2 GB each) and their docker stages; one a running VM uses stays. */
async function pruneOld(root: string, keepHash: string): Promise<void> {
  const inUse = new Set((await listVms(root)).map((v) => v.imageHash));
  for (const name of await readdir(root).catch(() => [])) {
    if (/^[0-9a-f]{12}(\.partial-\d+)?$/.test(name) && name !== keepHash && !inUse.has(name))
      await rm(join(root, name), { recursive: true, force: true });
  }
  await pruneTags([VM_IMAGE_REPO], [`${VM_IMAGE_REPO}:${keepHash}`]);
}

export async function buildVmImage(
  opts: { force?: boolean; say?: (line: string) => void } = {},
): Promise<VmBuildResult> {
  const say = opts.say ?? (() => {});
  const t0 = monoMs();
  const refs = await vmRecipeRefs();
  const have = opts.force ? null : await readManifest(refs.dir);
  if (have)
    return { ...have, cached: true, ms: monoMs() - t0, labMs: 0, dockerMs: 0, exportMs: 0, diskMs: 0, logFile: null };
  if (process.getuid?.() !== 0)
    throw new EnvironmentError(
      "vm build needs root: the disk image must keep the files' owners (run it as root or with sudo)",
    );
  await requireDocker();

  const lab = await buildLabImage({ say });
  const labMs = lab.cached ? 0 : lab.totalMs;
  const env = await mirrorBuildEnv("vm build");
  const log = join(tmpdir(), `drdrill-vm-build-${refs.hash}.log`);

  let dockerMs = 0;
  if (opts.force || !(await imageExists(refs.image))) {
    say(
      `building ${refs.image} FROM ${refs.labImage} (docker build: kernel, sshd, init; about 2 minutes); log: ${log}`,
    );
    const b0 = monoMs();
    await loggedStep(
      "vm build",
      "docker build",
      "docker",
      [
        "build",
        "--rm",
        "--force-rm",
        "--build-arg",
        `LAB_IMAGE=${refs.labImage}`,
        "--build-arg",
        "DEBIAN_MIRROR",
        "--build-arg",
        "DEBIAN_SECURITY_MIRROR",
        "-t",
        refs.image,
        join(VM_RECIPE_DIR, "image"),
      ],
      env,
      log,
    );
    dockerMs = monoMs() - b0;
  }

  // built beside the final folder and renamed into place: an interrupted build never looks finished
  const partial = `${refs.dir}.partial-${process.pid}`;
  const tree = join(partial, "tree");
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  try {
    say("exporting the image's files (docker export)");
    const e0 = monoMs();
    await exportTree(refs.image, tree);
    const exportMs = monoMs() - e0;
    say("making the disk (mkfs.ext4 -d), the kernel and the initrd");
    const d0 = monoMs();
    const kernelRelease = await copyBootFiles(tree, join(partial, "vmlinuz"), join(partial, "initrd.img"));
    const diskBytes = await makeExt4Disk(tree, join(partial, "disk.raw"));
    await rm(tree, { recursive: true, force: true });
    await chmod(join(partial, "disk.raw"), 0o444);
    const diskMs = monoMs() - d0;
    const manifest = {
      hash: refs.hash,
      labImage: refs.labImage,
      image: refs.image,
      kernelRelease,
      diskBytes,
      builtAt: new Date().toISOString(),
    };
    await writeFile(join(partial, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    await rm(refs.dir, { recursive: true, force: true });
    await mkdir(dirname(refs.dir), { recursive: true });
    await rename(partial, refs.dir);
    await pruneOld(dirname(refs.dir), refs.hash);
    const image = (await readManifest(refs.dir))!;
    return {
      ...image,
      cached: false,
      ms: monoMs() - t0,
      labMs,
      dockerMs,
      exportMs,
      diskMs,
      logFile: dockerMs > 0 ? log : null,
    };
  } catch (e) {
    await rm(partial, { recursive: true, force: true });
    throw e;
  }
}

/** The built image for the current recipe, or an EnvironmentError that says how to build it. */
export async function requireVmImage(): Promise<VmImage> {
  const refs = await vmRecipeRefs();
  const image = await readManifest(refs.dir);
  if (!image || !(await stat(image.disk).catch(() => null))) {
    throw new EnvironmentError(
      `the VM image ${refs.hash} is not built (or ci/vm or the lab image changed): run \`node bin/drdrill.js ` +
        `vm build\` (cache: ${vmCacheRoot()})`,
    );
  }
  return image;
}
