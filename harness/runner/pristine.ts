// Seed once per matrix: the first run that needs a generated dataset (same seed and size) makes a
// pristine copy of it on this machine; every run then clones that copy as cheaply as the file system
// allows (reflinks where it has them, else `cp -a`), instead of generating it again. A copyFrom tree
// is its own pristine copy (drdrill never changes it): every run clones it the same way.
// Either is hashed once (on first use, by the first run's manifest): a clone's manifest takes those
// hashes for the files the run has not touched since the clone, instead of reading them again.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { createHash } from "node:crypto";
import type { ConfinedDir } from "../agent/confined-dir.ts";
import { localDir } from "../agent/local-dir.ts";
import type { KnownFile } from "../model/manifest.ts";
import { generateDataset } from "../targets/local/generator.ts";
import type { PristineDataset } from "../targets/target.ts";
import type { PristineSource } from "./drill-env.ts";

export function datasetKey(dataset: { seed: number; copyFrom?: string | undefined }, sizeBytes: number): string {
  return dataset.copyFrom ? `copy:${dataset.copyFrom}` : `gen:${dataset.seed}:${sizeBytes}`;
}

export class PristineDatasets implements PristineSource {
  readonly #made = new Map<string, Promise<PristineDataset>>();

  constructor(
    private readonly root: string,
    /** Only datasets more than one run uses are worth a pristine copy (and its hashes). */
    private readonly shared: ReadonlySet<string>,
  ) {}

  /** The pristine copy, made on first use; undefined for a dataset that is not shared (it seeds directly). */
  get(
    dataset: { seed: number; copyFrom?: string | undefined },
    sizeBytes: number,
  ): Promise<PristineDataset | undefined> {
    const key = datasetKey(dataset, sizeBytes);
    if (!this.shared.has(key)) return Promise.resolve(undefined);
    let p = this.#made.get(key);
    if (!p) {
      p = this.#make(key, dataset, sizeBytes);
      this.#made.set(key, p);
    }
    return p;
  }

  async #make(
    key: string,
    dataset: { seed: number; copyFrom?: string | undefined },
    sizeBytes: number,
  ): Promise<PristineDataset> {
    if (dataset.copyFrom) {
      const { bytes, files, hardLinked, otherMounts } = await withDir(dataset.copyFrom, (d) => d.size());
      // A mount inside the tree was not walked: `cp -a` copies it too, so it may hold links (one cp, to be safe).
      return {
        dir: dataset.copyFrom,
        bytes,
        files,
        hardLinks: hardLinked > 0 || otherMounts > 0,
        madeBy: `${dataset.copyFrom} itself`,
        known: once(() => hashTree(dataset.copyFrom!)),
      };
    }
    const dir = join(this.root, `pristine-${createHash("sha256").update(key).digest("hex").slice(0, 12)}`);
    await mkdir(dir, { recursive: true });
    const g = await generateDataset(dir, sizeBytes, dataset.seed);
    return {
      dir,
      bytes: g.bytes,
      files: g.files,
      hardLinks: g.hardLinks,
      madeBy: `generated (seed ${dataset.seed})`,
      known: once(() => hashTree(dir)),
    };
  }
}

async function withDir<T>(path: string, fn: (d: ConfinedDir) => Promise<T>): Promise<T> {
  const d = localDir(path, "pristine copy");
  try {
    return await fn(d);
  } finally {
    d.agent.close();
  }
}

/** Size, mtime and sha256 of every regular file of the tree (a compact copy: the manifest itself is let go). */
async function hashTree(dir: string): Promise<ReadonlyMap<string, KnownFile>> {
  const m = await withDir(dir, (d) => d.manifest({ xattrs: false }));
  const known = new Map<string, KnownFile>();
  for (const rel in m.entries) {
    const e = m.entries[rel]!;
    if (e.type === "file" && e.sha256 && !e.sha256.startsWith("error:"))
      known.set(rel, { size: e.size, mtimeNs: e.mtimeNs, sha256: e.sha256 });
  }
  return known;
}

function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= fn());
}
