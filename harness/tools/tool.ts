// The interface every backup-tool adapter implements (duplicity, restic, borg, baselines), and what
// each declares it can do: faults and validation ask the tool, they never branch on its name.
import type { z } from "zod";
import type { ConfinedDir } from "../agent/confined-dir.ts";
import type { AnyAbility } from "../rules/ability.ts";
import type { Problem, RuleContext } from "../rules/context.ts";
import type { CommandExecutor, CommandResult } from "../exec/types.ts";
import type { SiteEndpoint } from "../site/site.ts";
import type { Fidelity } from "../verify/compare-manifests.ts";

/** One invocation of the tool, recorded whether it worked or not (also one that never started). */
export interface ToolRun extends CommandResult {
  /** The tool's own words when it failed (first error line), for reports. */
  message?: string;
  /** For a call killed at the timeout: the explicit error it printed before it hung, if any. */
  reportedError?: string;
  /** Numbers the tool printed about its work, e.g. { sourceBytes, addedBytes, errors }. */
  stats?: Record<string, number>;
  /** The tool's own id of the backup it made or restored (a snapshot id, an archive name, a time). */
  backupId?: string;
  /** The network faults to the site in force while it ran (set by the runner). */
  duringNetworkFault?: string[];
}

export interface ToolProgress {
  bytes?: number;
  totalBytes?: number;
}

export interface ToolContext {
  exec: CommandExecutor;
  /** Where archives go, as the executor sees it (on the site, when `site` is given). */
  repoDir: string;
  /** A secondary site the archives go to, in the tool's own native way (SFTP, borg serve, an ssh pipe). */
  site?: SiteEndpoint;
  /** A folder for the tool's cache and state, as the executor sees it. */
  workDir: string;
  /**
   * The scenario file's folder on this machine: a path its settings name (a user's script) is
   * relative to it. Read here, never on the target (whose files are the executor's).
   */
  scenarioDir: string;
  /** Puts a file of the tool's (a user's script read from `scenarioDir`) where its commands run; returns that path. */
  putFile(name: string, content: string | Buffer, mode: number): Promise<string>;
  /** The passphrase to use now (faults may change it between backup and restore). */
  passphrase(): string;
  timeoutMs?: number;
  onProgress?: (p: ToolProgress) => void;
  /**
   * A process the session leaves running between calls (a replication daemon, which leads a process
   * group of its own): written down so a drdrill killed hard has it killed, with its group (the
   * daemon's rsync and ssh children), by the next run or `drdrill clean`; `match` is a string its
   * command line holds. Given only where the tool runs on this host (elsewhere the container, the
   * VM or the ssh session's end takes it).
   */
  leaseProcess?(pid: number, match: string, what: string): Promise<void>;
  /**
   * The node at site B a replicator keeps current, for a tool whose capabilities ask for one
   * (mariadb-replication: the database there follows the primary's).
   */
  standby?: StandbyAccess;
  /** A secret the tool made (a replication account's password): redacted from every log and report. */
  addSecret?(value: string): void;
}

/** What a replicator reaches of the standby node at site B. */
export interface StandbyAccess {
  /** Commands on the standby node. */
  exec: CommandExecutor;
  /** The primary's address as the standby reaches it. */
  primaryHost: string;
  /** The standby's data directory, as its commands see it. */
  dataDir: string;
}

export interface RestoreOptions {
  /** Restore the state as of this time (ISO 8601), or "backup:N" (the Nth backup of the run), instead of the latest. */
  at?: string;
  /**
   * A restore test of a repository drdrill did not make: restore this point (an id `points()` listed),
   * never writing to the repository (no lock taken, none broken), checking every byte as it restores.
   */
  readOnly?: { id: string };
}

/** A restore point of a repository, as the tool lists it. */
export interface ToolPoint {
  /** The tool's own id (a snapshot id, an archive name, a backup set's time). */
  id: string;
  /** When it was taken (ms since the epoch). */
  timeMs: number;
  /** For a tool whose backups are chains (duplicity): a full or an incremental; default full. */
  kind?: "full" | "incremental";
}

export interface ToolSession {
  /** Creates the repository where the tool needs one; null when nothing is needed. */
  init(): Promise<ToolRun | null>;
  backup(kind: "full" | "incremental", sourceDir: string): Promise<ToolRun>;
  /** Restores into `destDir`, an empty directory the harness made. */
  restore(destDir: string, opts?: RestoreOptions): Promise<ToolRun>;
  /**
   * Light check of the repository's structure, or deep: read and verify all data; `samplePercent`
   * (for a tool whose capabilities say `sampledCheck`): read and verify that share of the data.
   */
  check(deep: boolean, sourceDir: string, opts?: CheckOptions): Promise<ToolRun>;
  list(): Promise<ToolRun>;
  /**
   * The points of a repository drdrill did not make, listed without writing to it (no lock), oldest
   * first; for tools whose capabilities say `restoreTest`.
   */
  points?(): Promise<{ run: ToolRun; points: ToolPoint[] }>;
  /** An attacker holding the target's credentials erases every backup with the tool's own commands. */
  eraseAll?(): Promise<ToolRun[]>;
  /** A replicator: stop mirroring (the first step of a failover). */
  stopReplication?(): Promise<ToolRun>;
  /** Stops what the session left running (a daemon). Called once at the end of the run, after Ctrl-C too. */
  close?(): Promise<void>;
  /** Drops the tool's client-side cache of the repository (needed after the repository was rolled back). */
  forgetCache?(): Promise<ToolRun>;
  /** Deletes the key the session keeps itself (the secret half of a run's own key pair): lost-key. */
  loseKey?(): Promise<ToolRun>;
}

export interface CheckOptions {
  /** Read and verify this percentage of the data (a sampled check), instead of all or none. */
  samplePercent?: number;
}

export type ToolFidelity = Fidelity;

/** What losing the key did (for the fault's effects), and whether the passphrase itself was the key. */
export interface LostKey {
  effects: Record<string, unknown>;
  /** The secret itself is gone (symmetric encryption): from now on a random one is used. */
  passphraseLost?: boolean;
  /** The key is the session's (a run's own key pair, outside the repository): its loseKey() deletes it. */
  inSession?: boolean;
}

/** What a tool can do and how: the answers faults and validation need. */
export interface ToolCapabilities {
  /** An incremental backup; a string says why not (refused when the scenario is loaded). */
  incremental: true | string;
  /** Restores a chosen earlier backup (restore: {at}). */
  pointInTime: boolean;
  /** Each backup restores on its own (restic and borg snapshots); false: a full plus its incrementals. */
  selfContainedBackups: boolean;
  /**
   * Whether it encrypts with these settings, and the setting that names the secret. `keyPair`: it
   * encrypts to a public key rather than with a passphrase, the run's own throwaway pair or the user's.
   */
  encryption(settings: Record<string, unknown>): {
    encrypted: boolean;
    secretSetting?: string;
    how?: string;
    keyPair?: "run" | "user";
  };
  /** The repository's data files (relative paths) archive faults break; null: any file of 1 KiB or more. */
  dataFiles: RegExp | null;
  /** What losing the key means, done to the repository (or the passphrase). */
  loseKey?(repo: ConfinedDir, settings: Record<string, unknown>): Promise<LostKey>;
  /** It reads and verifies a chosen share of its data (`check: { sample: 10% }`): how. */
  sampledCheck?: string;
  /** How it deals with a stale lock a crashed run left (for the report). */
  staleLock: string;
  /**
   * How it writes to a secondary site (or why it cannot), and how an append-only site keeps its
   * backups: its own server's append-only mode, or the site making what arrives write-once.
   */
  site: { how: string; appendOnly: "own-server" | "write-once" } | { unsupported: string };
  /**
   * It restore-tests a repository it did not make, read only (`points()`, `restore(..., { readOnly })`):
   * how it stays off the repository and how it checks what it restored.
   */
  restoreTest?: { readOnly: string; verifies: string };
  /** What an attacker with the target's credentials runs to erase every backup (delete-backups). */
  eraseAll?: string;
  /** A replicator rather than a backup tool: it mirrors continuously, and its "restore" is a failover. */
  replication?: {
    failover: string;
    /** It replicates to a standby node at site B that the target starts (what runs there). */
    standby?: string;
    /**
     * Paths of the data directory it does not mirror as files (the database, which it replicates
     * its own way; the node's sockets and logs): left out when the replica's files are compared.
     */
    filesExcluded?: readonly string[];
  };
  /**
   * The operator's way back after backups were erased through an append-only account, when the
   * tool's repository keeps what was "deleted" (borg's transaction log): undone on the site itself.
   */
  undoErase?(repo: ConfinedDir, attackWallMs: number): Promise<Record<string, unknown>>;
}

export interface ToolAdapter<S extends Record<string, unknown> = Record<string, unknown>> {
  name: string;
  description: string;
  /** Programs that must be on PATH where the tool runs. */
  binaries: string[];
  /** How to install it on Debian/Ubuntu (named when it is missing). */
  install: string;
  settings: z.ZodType<S>;
  fidelity: ToolFidelity;
  capabilities: ToolCapabilities;
  /** What it needs of the target or the site (site B, a standby node there): refused at validation where missing. */
  needs?: readonly AnyAbility[];
  /** Its rules, judged against the run as the command line resolved it (its settings, the mode, the site). */
  validate?(settings: S, ctx: RuleContext): Problem[];
  version(exec: CommandExecutor): Promise<string>;
  open(settings: S, ctx: ToolContext): ToolSession;
}

export function defineTool<S extends Record<string, unknown>>(tool: ToolAdapter<S>): ToolAdapter<S> {
  return tool;
}
