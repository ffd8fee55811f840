// The interface of a protected system: where its data is, how to stop/start it, seed it and check it.
// Everything a drill does to the target's files goes through the started target's confined
// directories (the agent, where the files are), never through paths of this machine.
import type { z } from "zod";
import type { HealthResult, LoadSurvivor } from "../model/target-status.ts";
import type { KnownFile, SeededFiles } from "../model/manifest.ts";

export type { HealthResult, LoadSurvivor };
import type { ConfinedDir } from "../agent/confined-dir.ts";
import type { CommandExecutor } from "../exec/types.ts";
import type { Journal } from "../journal/journal.ts";
import type { SecretStore } from "../util/secrets.ts";
import type { AbilitySet, AnyAbility } from "../rules/ability.ts";
import type { Problem, RuleContext } from "../rules/context.ts";
import type { SmallFilesystem, Standby } from "../rules/target-abilities.ts";

export type { SmallFilesystem, Standby };

export interface DatasetSpec {
  sizeBytes: number;
  seed: number;
  copyFrom?: string;
  /** A pristine copy of this dataset made once for the invocation (on this machine), to clone from. */
  pristine?: PristineDataset;
}

/** A dataset prepared once per invocation on this machine, with its manifest. */
export interface PristineDataset {
  dir: string;
  bytes: number;
  files: number;
  /** How the pristine copy itself was made. */
  madeBy: string;
  /** Whether a regular file of it has more than one name (a clone must then keep the links). */
  hardLinks: boolean;
  /** Its regular files, hashed once for the invocation (on first use): a clone's manifest takes them. */
  known: () => Promise<ReadonlyMap<string, KnownFile>>;
}

export interface SeedResult {
  bytes: number;
  files: number;
  /** How this run's data was made: "generated", "cp -a --reflink=auto of the pristine copy", ... */
  method: string;
}

export interface TargetOptions {
  /** The run's own folder on this machine; everything the target makes here lives under it. */
  workDir: string;
  /** A name unique to this run (folders and containers on the target carry it). */
  runName: string;
  journal: Journal;
  secrets: SecretStore;
  logDir: string;
  /** cold: services are stopped for backups; hot: they keep running (the target may then exclude live files). */
  mode: "cold" | "hot";
  /** The scenario's `targetSettings.<target>`, already validated with the target's `settings` schema. */
  settings?: Record<string, unknown>;
  /** Aborted on Ctrl-C: a target standing up (booting a VM, say) stops waiting. */
  signal?: AbortSignal;
  /** The target as given on the command line, when it is a URL (`ssh://user@host:port`). */
  url?: string;
  /** --keep: leave the data and backups the target made in place. */
  keep?: boolean;
  /** A replicator will keep a standby of this target at site B (the lab: its MariaDB keeps a binary log for it). */
  standbyWanted?: boolean;
  /**
   * A restore test's repository when it is a folder of this machine: a target whose commands run
   * elsewhere makes it visible to them read only (the lab: a read-only bind mount), or refuses the path.
   */
  sourceFolder?: string;
  /** A restore test: nothing is seeded and no service runs on the restored tree (the lab starts its node idle). */
  restoreTest?: boolean;
}

/** Paths as the target's commands (the tools) see them. */
export interface TargetPaths {
  data: string;
  repo: string;
  /** A folder for tool caches and state. */
  tool: string;
  /** Where `TargetOptions.sourceFolder` appears to the target's commands (absent: at its own path). */
  source?: string;
}

/** An empty folder for one restore: the tool writes `path`, which does not exist yet. */
export interface Staging {
  id: number;
  /** As the target's commands see it. */
  path: string;
  /** The folder holding it, for file operations; the restored tree is `name` inside it. */
  dir: ConfinedDir;
  name: string;
}

export interface StartedTarget extends AsyncDisposable {
  readonly name: string;
  readonly exec: CommandExecutor;
  readonly paths: TargetPaths;
  /** The data directory, confined. */
  readonly data: ConfinedDir;
  /** The backup destination on the target, confined. */
  readonly repo: ConfinedDir;
  /** The target's own scratch folder (control files of faults), confined; not part of the data. */
  readonly scratch: ConfinedDir;
  /** Paths (relative to the data directory) left out of manifests: the load writer's file, live files. */
  readonly manifestExcludes: readonly string[];
  /** Once seeded from a hashed pristine copy: the data directory's files whose hashes are known. */
  readonly seededFiles?: SeededFiles | undefined;
  /**
   * How many times slower than a native host this target runs the tools (an emulated VM): a
   * scenario's `timeout:` is written for native hosts and is multiplied by it. 1 when absent.
   */
  readonly timeScale?: number;
  seed(dataset: DatasetSpec, onProgress?: (bytes: number) => void): Promise<SeedResult>;
  /** Called before every backup in hot mode (e.g. a consistent database dump into the data directory). */
  prepareHotBackup?(): Promise<void>;
  /** Stops the services so the data is consistent (`snap stop microstack`). */
  quiesce(): Promise<void>;
  /** Starts the services again (`snap start microstack`). */
  resume(): Promise<void>;
  servicesRunning(): boolean;
  health(): Promise<HealthResult>;
  loadSurvivor(): Promise<LoadSurvivor>;
  /**
   * The newest record the load writer has written so far, read as the disaster strikes (writes lost
   * are counted from it); nulls where the target has no load writer or cannot say.
   */
  loadNewest(): Promise<LoadSurvivor>;
  /** A new, empty folder to restore into (onto a fault's small file system when given). */
  staging(on?: SmallFilesystem): Promise<Staging>;
  /** Puts a restored tree in place of the data directory. */
  replaceData(staging: Staging): Promise<void>;
  /** Puts a small file (a key for a secondary site, its known_hosts) where the tools run; returns its path there. */
  putToolFile(name: string, content: string | Buffer, mode: number): Promise<string>;
  /** Told of the secondary site once it stands (a node restored "at site B" joins its network). */
  attachSite?(site: { containerId?: string }): void;
  /** What it can do beyond every target (a small file system, a standby node): what its definition `provides`. */
  readonly abilities?: AbilitySet;
  describe(): Record<string, string>;
  stop(): Promise<void>;
}

export interface Target {
  name: string;
  description: string;
  /**
   * Runs on this target may go at the same time as other runs of one invocation (--jobs): each has
   * its own folders, containers and load writer. Default false (one host's services, say).
   */
  parallelRuns?: boolean;
  /**
   * What its started form can do beyond every target (rules/target-abilities.ts), known before it
   * starts: a plug-in that needs something no provider of the run has is refused at validation.
   */
  provides?: readonly AnyAbility[];
  /**
   * Its data lives on this machine, in the run folder: seeded from one pristine copy per invocation,
   * and counted against the run folder's free space before the run.
   */
  dataOnThisMachine?: boolean;
  /** Standing it up and tearing it down, for estimates (default 20 s). */
  setupMs?: number;
  /** Given as a URL on the command line (`ssh://user@host`): what is wrong with this one, or undefined. */
  checkUrl?(url: string): string | undefined;
  /** What a scenario may set for this target (`targetSettings.<name>`), checked when it is loaded. */
  settings?: z.ZodType<Record<string, unknown>>;
  /**
   * Its rules on its settings, judged against the run as the command line resolved it (the site, the
   * steps): problems name a field of its settings, placed where that setting was given.
   */
  validate?(settings: Record<string, unknown>, ctx: RuleContext): Problem[];
  start(opts: TargetOptions): Promise<StartedTarget>;
}
