// Writes a planned MicroStack-shaped tree to disk: same size and seed, identical bytes and metadata.
import { chmod, link, lchown, lutimes, mkdir, open, symlink } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { chunk, type ContentKind } from "./content.ts";
import { planDataset, type Mix } from "./dataset-plan.ts";
import { createByteStream, createRng } from "../../util/prng.ts";

const CHUNK = 1 << 20;
const KINDS: ContentKind[] = ["random", "zero", "text", "low"];

function chooser(mix: Mix, seed: string): () => ContentKind {
  const rng = createRng(seed);
  const weights = KINDS.map((k) => mix[k] ?? 0);
  const total = weights.reduce((a, b) => a + b, 0);
  return () => {
    let x = rng() * total;
    for (let i = 0; i < KINDS.length; i++) if ((x -= weights[i]!) < 0) return KINDS[i]!;
    return "random";
  };
}

async function writeFile(
  path: string,
  size: number,
  mix: Mix,
  seed: string,
  onBytes: (n: number) => void,
): Promise<void> {
  const bytes = createByteStream(seed);
  const nextKind = chooser(mix, `${seed}:mix`);
  const fh = await open(path, "w");
  try {
    for (let left = size; left > 0;) {
      const n = Math.min(CHUNK, left);
      await fh.write(chunk(nextKind(), bytes, n));
      left -= n;
      onBytes(n);
    }
  } finally {
    await fh.close();
  }
}

async function hasCommand(cmd: string): Promise<boolean> {
  const r = await execa("sh", ["-c", `command -v ${cmd}`], { reject: false });
  return r.exitCode === 0;
}

export interface GenerateResult {
  bytes: number;
  files: number;
  /** Whether a file of the dataset has more than one name. */
  hardLinks: boolean;
}

/** Fills `root` (created if missing) with the dataset for (sizeBytes, seed). */
export async function generateDataset(
  root: string,
  sizeBytes: number,
  seed: number,
  onProgress?: (bytes: number) => void,
): Promise<GenerateResult> {
  const plan = planDataset(sizeBytes, seed);
  const isRoot = process.getuid?.() === 0;
  const setfattr = await hasCommand("setfattr");
  await mkdir(root, { recursive: true });
  let written = 0;
  let files = 0;
  const seedKey = String(seed);
  for (const e of plan.entries) {
    const abs = join(root, e.rel);
    switch (e.kind) {
      case "dir":
        await mkdir(abs, { recursive: true });
        await chmod(abs, e.mode);
        break;
      case "file":
        // Paths in the seed are relative, so the bytes do not depend on where the tree is written.
        await writeFile(abs, e.size, e.mix, `${seedKey}:${e.rel}`, (n) => {
          written += n;
          onProgress?.(written);
        });
        await chmod(abs, e.mode);
        if (isRoot && e.owner) await lchown(abs, e.owner[0], e.owner[1]);
        if (setfattr && e.xattr) await execa("setfattr", ["-n", e.xattr, "-v", `drdrill-${seedKey}`, abs]);
        files++;
        break;
      case "symlink":
        await symlink(e.target, abs);
        break;
      case "hardlink":
        await link(join(root, e.target), abs);
        files++;
        break;
      case "fifo":
        await execa("mkfifo", ["-m", e.mode.toString(8), abs]);
        break;
    }
  }
  // Times last, deepest first, so writing children does not disturb their parents' mtimes.
  const byDepth = [...plan.mtimes.entries()].sort((a, b) => b[0].split("/").length - a[0].split("/").length);
  for (const [rel, t] of byDepth) await lutimes(rel === "." ? root : join(root, rel), t, t);
  return { bytes: plan.totalBytes, files, hardLinks: plan.entries.some((e) => e.kind === "hardlink") };
}
