// Seed once per matrix: the first run that needs a generated dataset (same seed and size) makes a
// pristine copy of it on this machine; every run then clones that copy as cheaply as the file system
// allows (reflinks where it has them, else `cp -a`), instead of generating it again. A copyFrom tree
// is its own pristine copy: every run clones it the same way.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { createHash } from "node:crypto";
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
    /** Only generated datasets more than one run uses are worth a pristine copy. */
    private readonly shared: ReadonlySet<string>,
  ) {}

  /** The pristine copy, made on first use; undefined for a dataset that is not shared (it seeds directly). */
  get(dataset: { seed: number; copyFrom?: string | undefined }, sizeBytes: number): Promise<PristineDataset | undefined> {
    const key = datasetKey(dataset, sizeBytes);
    if (!this.shared.has(key)) return Promise.resolve(undefined);
    let p = this.#made.get(key);
    if (!p) {
      p = this.#make(key, dataset, sizeBytes);
      this.#made.set(key, p);
    }
    return p;
  }

  async #make(key: string, dataset: { seed: number }, sizeBytes: number): Promise<PristineDataset> {
    const dir = join(this.root, `pristine-${createHash("sha256").update(key).digest("hex").slice(0, 12)}`);
    await mkdir(dir, { recursive: true });
    const g = await generateDataset(dir, sizeBytes, dataset.seed);
    return { dir, bytes: g.bytes, files: g.files, madeBy: `generated (seed ${dataset.seed})` };
  }
}
