// Seed once per matrix: the first run that needs a dataset (same seed and size, or same copyFrom
// tree) makes a pristine copy of it on this machine; every run then clones that copy as cheaply as
// the file system allows (reflinks where it has them, else `cp -a`), instead of seeding from scratch.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { localDir } from "../agent/local-dir.ts";
import { LocalExecutor } from "../exec/local-executor.ts";
import { copyTree } from "../targets/local/copy-tree.ts";
import { generateDataset } from "../targets/local/generator.ts";
import type { PristineDataset } from "../targets/target.ts";
import type { SecretStore } from "../util/secrets.ts";
import type { PristineSource } from "./drill-env.ts";

export function datasetKey(dataset: { seed: number; copyFrom?: string | undefined }, sizeBytes: number): string {
  return dataset.copyFrom ? `copy:${dataset.copyFrom}` : `gen:${dataset.seed}:${sizeBytes}`;
}

export class PristineDatasets implements PristineSource {
  readonly #made = new Map<string, Promise<PristineDataset>>();

  constructor(
    private readonly root: string,
    private readonly logDir: string,
    private readonly secrets: SecretStore,
    /** Only datasets more than one run uses are worth a pristine copy. */
    private readonly shared: ReadonlySet<string>,
  ) {}

  /** The pristine copy, made on first use; undefined for a dataset only one run uses (it seeds directly). */
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

  async #make(key: string, dataset: { seed: number; copyFrom?: string | undefined }, sizeBytes: number): Promise<PristineDataset> {
    const dir = join(this.root, `pristine-${createHash("sha256").update(key).digest("hex").slice(0, 12)}`);
    await mkdir(dir, { recursive: true });
    if (dataset.copyFrom) {
      const exec = new LocalExecutor(this.logDir, this.secrets);
      const how = await copyTree(exec, dataset.copyFrom, dir);
      const size = await localDir(dir, "pristine copy", { logDir: this.logDir, secrets: this.secrets }).size();
      return { dir, bytes: size.bytes, files: size.files, madeBy: `${how} of ${dataset.copyFrom}` };
    }
    const g = await generateDataset(dir, sizeBytes, dataset.seed);
    return { dir, bytes: g.bytes, files: g.files, madeBy: `generated (seed ${dataset.seed})` };
  }
}
