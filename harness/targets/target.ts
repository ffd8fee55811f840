// The interface of a protected system: where its data is, how to stop/start it, seed it and check it.
import type { z } from "zod";
import type { CommandExecutor } from "../exec/types.ts";
import type { Manifest } from "../verify/build-manifest.ts";
import type { Journal } from "../journal/journal.ts";
import type { SecretStore } from "../util/secrets.ts";

/** One location seen from both sides: the harness (host) and the executor (where tools run). */
export interface PathPair {
  host: string;
  exec: string;
}

export interface DatasetSpec {
  sizeBytes: number;
  seed: number;
  copyFrom?: string;
}

export interface HealthResult {
  ok: boolean;
  detail: string;
}

export interface LoadSurvivor {
  /** Wall-clock ms of the newest load-writer record found in the data, or null if none survived. */
  newestWallMs: number | null;
  newestSeq: number | null;
}

export interface TargetOptions {
  /** The run's own folder; everything the target makes lives under it. */
  workDir: string;
  journal: Journal;
  secrets: SecretStore;
  logDir: string;
  /** cold: services are stopped for backups; hot: they keep running (the target may then exclude live files). */
  mode: "cold" | "hot";
  /** The scenario's `targetSettings.<target>`, already validated with the target's `settings` schema. */
  settings?: Record<string, unknown>;
}

export interface StartedTarget extends AsyncDisposable {
  readonly name: string;
  readonly exec: CommandExecutor;
  readonly dataDir: PathPair;
  /** Where backups go (a folder per run). */
  readonly repoDir: PathPair;
  /** A folder for tool caches and state. */
  readonly toolDir: PathPair;
  seed(dataset: DatasetSpec, onProgress?: (bytes: number) => void): Promise<{ bytes: number; files: number }>;
  /** Called before every backup in hot mode (e.g. a consistent database dump into the data directory). */
  prepareHotBackup?(): Promise<void>;
  /** Stops the services so the data is consistent (`snap stop microstack`). */
  quiesce(): Promise<void>;
  /** Starts the services again (`snap start microstack`). */
  resume(): Promise<void>;
  servicesRunning(): boolean;
  health(): Promise<HealthResult>;
  /** Manifest of the data directory, or of another tree (a restore staging dir), without volatile files. */
  manifest(dir?: PathPair): Promise<Manifest>;
  loadSurvivor(): Promise<LoadSurvivor>;
  /**
   * A path to restore into that does not exist yet, inside a new empty directory the harness made
   * (under `onHost` when given: a fault may put restores on a small filesystem).
   */
  stagingDir(onHost?: string): Promise<PathPair>;
  /** Puts a restored tree in place of the data directory. */
  replaceData(staging: PathPair): Promise<void>;
  describe(): Record<string, string>;
  stop(): Promise<void>;
}

export interface Target {
  name: string;
  description: string;
  /** What a scenario may set for this target (`targetSettings.<name>`), checked when it is loaded. */
  settings?: z.ZodType<Record<string, unknown>>;
  start(opts: TargetOptions): Promise<StartedTarget>;
}
