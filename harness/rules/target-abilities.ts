// What a target can do for a plug-in beyond what every target does: declared by the target's
// definition (`provides`), handed over by the started target (`abilities`), needed by faults and
// tools. A new one is a line here, its provider in the targets that have it, and its need.
import type { CommandExecutor } from "../exec/types.ts";
import type { HealthResult, LoadSurvivor } from "../model/target-status.ts";
import type { StartedSite } from "../site/site.ts";
import { defineAbility } from "./ability.ts";

/** A small file system the next restore goes onto (a size-limited tmpfs), where the target offers one. */
export interface SmallFilesystem {
  /** The folder, as the target's commands see it. */
  path: string;
  usage(): Promise<{ freeBytes: number; totalBytes: number }>;
  dispose(): Promise<void>;
}

/**
 * A node at site B that a replicator keeps current and fails over to (the lab: a MicroStack node
 * whose MariaDB follows the primary's, on the site's disk and in its network).
 */
export interface Standby {
  /** Commands on the standby node. */
  readonly exec: CommandExecutor;
  /** The primary's address as the standby reaches it. */
  readonly primaryHost: string;
  /** The standby's data directory, as its commands see it. */
  readonly dataDir: string;
  /** The newest load-writer record the standby holds (the replica's side of the lag). */
  loadNewest(): Promise<LoadSurvivor>;
  /** Starts the services there (the last step of a failover). */
  resume(): Promise<void>;
  health(): Promise<HealthResult>;
  describe(): Record<string, string>;
  stop(): Promise<void>;
}

export const smallFilesystem = defineAbility<(bytes: number) => Promise<SmallFilesystem>>({
  name: "small-filesystem",
  what: "a small file system for the restore (a size-limited tmpfs)",
  verb: "mount",
});

export const standbyNode = defineAbility<(site: StartedSite) => Promise<Standby>>({
  name: "standby-node",
  what: "a standby node at site B",
  verb: "start",
});

/** The machine goes down at once: everything on it stops mid-write (where absent, its services are stopped). */
export const machineCrash = defineAbility<() => Promise<void>>({
  name: "machine-crash",
  what: "a machine that can go down at once (killed, not stopped)",
  verb: "crash",
});
