// The interface of a step plug-in (backup, load, wait, fault, check, restore, verify, schedule): its
// schema in a scenario, what it needs of the tool, and its handler. A handler works through the
// drill context and returns the changes it made to the drill's state; the runner applies them.
import type { z } from "zod";
import type { ConfinedDir } from "../agent/confined-dir.ts";
import type { ProcessHandle } from "../exec/types.ts";
import type { Journal } from "../journal/journal.ts";
import type { PhaseName, ToolCallKind } from "../model/journal-events.ts";
import type { Attribute } from "../model/verification.ts";
import type { StartedSite } from "../site/site.ts";
import type { Standby, StartedTarget } from "../targets/target.ts";
import type { ToolAdapter, ToolRun, ToolSession } from "../tools/tool.ts";
import type { ArmedFaults } from "./armed-faults.ts";
import type { DrillState, StateChanges } from "./state.ts";

/** What a step knows of the run it belongs to. */
export interface DrillPlanView {
  scenario: string;
  mode: "cold" | "hot";
  seed: number;
  /** Metadata that must survive for "recovered". */
  require: readonly Attribute[];
  repeat: number;
  /** The backup interval of a swept schedule. */
  intervalMs?: number;
  /** The bandwidth cap of a swept run (bytes per second). */
  bandwidthBps?: number;
  toolName: string;
  tool: ToolAdapter;
  settings: Record<string, unknown>;
}

export interface ToolCallOptions {
  /** For backups: what the scenario asked for. */
  backupKind?: "full" | "incremental";
  /** Recorded under this label instead of the tool's (a crashed run). */
  label?: string;
  /** A failover (a replicator's "restore"): timed for RTO, not a restore's throughput. */
  failover?: boolean;
  /** Also told when the call's process group starts. */
  onSpawn?: (group: ProcessHandle) => void;
}

export interface StepContext {
  readonly plan: DrillPlanView;
  readonly target: StartedTarget;
  /** Where the backups are: the target's own folder, or the repository on a secondary site. */
  readonly repo: ConfinedDir;
  /** The secondary site, when the backups go to one. */
  readonly site: StartedSite | null;
  /** The standby node at site B a replicator keeps current (mariadb-replication on the lab). */
  readonly standby: Standby | null;
  readonly journal: Journal;
  readonly armed: ArmedFaults;
  /** The state as it is now (changes of nested steps already applied). */
  readonly state: DrillState;
  /** Runs `fn` as a named phase of the drill (journal, progress). */
  phase<T>(name: PhaseName, fn: () => Promise<T>, detail?: string): Promise<T>;
  /** One tool call: its passphrase, the armed faults that watch it, recorded in the journal and the results. */
  toolCall(kind: ToolCallKind, fn: (s: ToolSession) => Promise<ToolRun>, opts?: ToolCallOptions): Promise<ToolRun>;
  /** Sleeps, or throws on Ctrl-C. */
  sleep(ms: number): Promise<void>;
  /** Runs another step (a schedule's backups); its changes are applied before this returns. */
  runStep(kind: string, params: unknown): Promise<StepResult>;
  /** A new scratch folder on the target for the fault being injected. */
  faultScratch(name: string): Promise<ConfinedDir>;
}

export interface StepResult {
  ok: boolean;
  /** Stop the drill here (a backup failed before any fault: nothing to restore). */
  stop?: boolean;
  changes: StateChanges;
}

export interface StepDef<P = unknown> {
  name: string;
  description: string;
  schema: z.ZodType<P>;
  /** Why this tool, with these settings, cannot do this step (refused when the scenario is loaded). */
  requires?(params: P, tool: ToolAdapter, settings: Record<string, unknown>): string | undefined;
  run(params: P, ctx: StepContext): Promise<StepResult>;
}

export function defineStep<P>(step: StepDef<P>): StepDef<P> {
  return step;
}
