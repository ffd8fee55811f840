// The embedded default target: a directory shaped like /var/snap/microstack/common/, filled by the
// deterministic generator, whose "services" are a load-writer process appending to a journal file.
import { type ChildProcess, spawn } from "node:child_process";
import { cp, mkdir, readFile, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { LocalExecutor } from "../../exec/local-executor.ts";
import { trackGroup, untrackGroup } from "../../exec/live-groups.ts";
import { buildManifest } from "../../verify/build-manifest.ts";
import type { DatasetSpec, HealthResult, LoadSurvivor, PathPair, StartedTarget, Target, TargetOptions } from "../target.ts";
import { generateDataset } from "./generator.ts";
import { readLoadRecords } from "./load-writer.ts";

/** Where the load writer keeps its records, relative to the data directory (like a DB journal). */
export const LOAD_FILE = "lib/mysql/drdrill-load.jsonl";
const WRITE_INTERVAL_MS = 100;
const HEALTH_TIMEOUT_MS = 15_000;

const same = (p: string): PathPair => ({ host: p, exec: p });

class StartedLocalTarget implements StartedTarget {
  readonly name = "local";
  readonly exec: LocalExecutor;
  readonly dataDir: PathPair;
  readonly repoDir: PathPair;
  readonly toolDir: PathPair;
  #writer: ChildProcess | null = null;
  #resumedAtWall = 0;
  #staging = 0;

  constructor(private readonly root: string, opts: TargetOptions) {
    this.exec = new LocalExecutor(opts.logDir, opts.secrets);
    this.dataDir = same(join(root, "common"));
    this.repoDir = same(join(root, "repo"));
    this.toolDir = same(join(root, "tool"));
  }

  async init(): Promise<void> {
    await mkdir(this.root, { recursive: true });
    await mkdir(this.repoDir.host, { recursive: true });
    await mkdir(this.toolDir.host, { recursive: true });
  }

  async seed(dataset: DatasetSpec, onProgress?: (bytes: number) => void): Promise<{ bytes: number; files: number }> {
    if (dataset.copyFrom) {
      await cp(dataset.copyFrom, this.dataDir.host, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
      const m = await this.manifest();
      return { bytes: m.bytes, files: m.files };
    }
    return generateDataset(this.dataDir.host, dataset.sizeBytes, dataset.seed, onProgress);
  }

  servicesRunning(): boolean {
    return this.#writer !== null && this.#writer.exitCode === null && this.#writer.signalCode === null;
  }

  async resume(): Promise<void> {
    if (this.servicesRunning()) return;
    const script = fileURLToPath(new URL("./load-writer.ts", import.meta.url));
    const tsx = import.meta.resolve("tsx");
    this.#resumedAtWall = Date.now();
    const child = spawn(process.execPath, ["--import", tsx, script, join(this.dataDir.host, LOAD_FILE), String(WRITE_INTERVAL_MS)], {
      detached: true,
      stdio: "ignore",
    });
    if (child.pid) trackGroup(child.pid);
    child.on("exit", () => child.pid && untrackGroup(child.pid));
    this.#writer = child;
  }

  async quiesce(): Promise<void> {
    const w = this.#writer;
    this.#writer = null;
    if (!w || w.exitCode !== null || w.signalCode !== null) return;
    const exited = new Promise<void>((r) => w.once("exit", () => r()));
    w.kill("SIGTERM");
    const timer = setTimeout(() => w.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  }

  async health(): Promise<HealthResult> {
    const deadline = Date.now() + HEALTH_TIMEOUT_MS;
    let last = "";
    while (Date.now() < deadline) {
      last = await this.#probe();
      if (last === "ok") return { ok: true, detail: "load writer running; journal intact and advancing" };
      if (!this.servicesRunning()) return { ok: false, detail: `load writer not running (${last})` };
      await new Promise((r) => setTimeout(r, 50));
    }
    return { ok: false, detail: `not healthy after ${HEALTH_TIMEOUT_MS / 1000} s: ${last}` };
  }

  async #probe(): Promise<string> {
    if (!this.servicesRunning()) return "load writer exited";
    const text = await readFile(join(this.dataDir.host, LOAD_FILE), "utf8").catch(() => null);
    if (text === null) return "journal file missing";
    const { records, intact } = readLoadRecords(text);
    if (!intact) return "journal torn or out of sequence";
    if ((records.at(-1)?.wallMs ?? 0) < this.#resumedAtWall) return "no record written since start";
    return "ok";
  }

  manifest(dir: PathPair = this.dataDir) {
    return buildManifest(dir.host, { exclude: [LOAD_FILE] });
  }

  async loadSurvivor(): Promise<LoadSurvivor> {
    const text = await readFile(join(this.dataDir.host, LOAD_FILE), "utf8").catch(() => "");
    const last = readLoadRecords(text).records.at(-1);
    return { newestWallMs: last?.wallMs ?? null, newestSeq: last?.seq ?? null };
  }

  async stagingDir(onHost?: string): Promise<PathPair> {
    const dir = join(onHost ?? this.root, `staging-${++this.#staging}`);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir);
    return same(join(dir, "common"));
  }

  async replaceData(staging: PathPair): Promise<void> {
    const displaced = join(this.root, `displaced-${this.#staging}`);
    if (await stat(this.dataDir.host).catch(() => null)) await rename(this.dataDir.host, displaced);
    // Across filesystems (a restore on a separate mount) a rename cannot work: copy instead.
    await rename(staging.host, this.dataDir.host).catch(async (e: NodeJS.ErrnoException) => {
      if (e.code !== "EXDEV") throw e;
      await cp(staging.host, this.dataDir.host, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
      await rm(staging.host, { recursive: true, force: true });
    });
    await rm(displaced, { recursive: true, force: true });
  }

  describe(): Record<string, string> {
    return { kind: "local", dataDir: this.dataDir.host, services: "load writer (node)" };
  }

  async stop(): Promise<void> {
    await this.quiesce();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

export const localTarget: Target = {
  name: "local",
  description: "A local directory shaped like MicroStack's $SNAP_COMMON, with a load-writer process as its service.",
  async start(opts: TargetOptions): Promise<StartedTarget> {
    const t = new StartedLocalTarget(join(opts.workDir, "target"), opts);
    await t.init();
    return t;
  },
};
