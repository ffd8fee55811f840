// The interface of a step plug-in (backup, load, wait, fault, check, restore, verify, schedule): its
// schema in a scenario, its rules (the order of steps, what the tool can do), what it needs of the
// target or the site, the restore points it makes, what it says of the run before it starts (the
// outcomes that pass, the paths it touches, its duration), and its handler. A handler works through
// the drill context and returns the changes it made to the drill's state; the runner applies them.
import type { z } from "zod";
import type { ConfinedDir } from "../agent/confined-dir.ts";
import type { FaultPath, FaultRuleContext } from "../faults/fault.ts";
import type { Outcome } from "../model/outcome.ts";
import type { AbilitySet, AnyAbility } from "../rules/ability.ts";
import type { PointsMade, Problem, RuleContext } from "../rules/context.ts";
import type { CommandExecutor, ProcessHandle } from "../exec/types.ts";
import type { Journal } from "../journal/journal.ts";
import type { PhaseName, ToolCallKind } from "../model/journal-events.ts";
import type { Manifest } from "../model/manifest.ts";
import type { Attribute, Verification } from "../model/verification.ts";
import type { StartedSite } from "../site/site.ts";
import type { Standby, StartedTarget } from "../targets/target.ts";
import type { ToolAdapter, ToolRun, ToolSession } from "../tools/tool.ts";
import type { ArmedFaults } from "./armed-faults.ts";
import type { DrillState, StateChanges } from "./state.ts";

/** What a restore test found comparing a restored point with production (files older than the point). */
export interface SourceCheck extends Verification {
  /** The folder compared with (read only). */
  compareWith: string;
  /** Bytes of the files compared. */
  bytesChecked: number;
  /** Files changed since the point (newer mtime, or gone from production): not differences. */
  changedSince: number;
}

/** A run whose restore points are an existing repository's (a restore test): read only, checked in the sandbox. */
export interface SourceView {
  /** The source's key in the scenario ("repository"). */
  name: string;
  /** Compares a restored point (its manifest) with what the source names; null when it names nothing. */
  inspect(restored: Manifest, pointMs: number): Promise<SourceCheck | null>;
}

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
  /** The scenario file's folder on this machine: a path the scenario names (a script) is relative to it. */
  scenarioDir: string;
  /** The longest one tool call may take (--timeout, or the scenario's, scaled to a slow target). */
  timeoutMs?: number;
  tool: ToolAdapter;
  settings: Record<string, unknown>;
  /** The scenario's source of restore points, when it has one (a restore test of an existing repository). */
  source?: SourceView;
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
  /**
   * This machine (drdrill's own): an executor whose logs are the run's (redacted, like the tools'),
   * and a folder of the run here (made on first use, removed with the run).
   */
  readonly local: { readonly exec: CommandExecutor; readonly dir: string };
  /** What the target and the site provide this run (a step's `needs` were checked before the run). */
  readonly abilities: AbilitySet;
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

/** What a step's rules see: the run as resolved, the tool under test, and where the step stands. */
export interface StepRuleContext extends FaultRuleContext {
  /** The step's place in `steps`. */
  readonly index: number;
  /** The restore points made before it (by earlier steps, or the scenario's source). */
  readonly pointsBefore: PointsMade;
}

/** What a step's estimate knows: the data's size, the run's swept interval, how long the usual work takes. */
export interface StepEstimate {
  readonly bytes: number;
  /** The backup interval of a swept run. */
  readonly intervalMs?: number;
  /** A tool call over this many bytes. */
  callMs(bytes: number): number;
  /** The harness hashing this many bytes (a manifest, an inspection). */
  hashMs(bytes: number): number;
}

/** A place a step will touch on the target (a fault's folder), looked at before anything is broken. */
export interface TouchedPath extends FaultPath {
  /** Who names it, for messages: "fault delete-path". */
  who: string;
}

export interface StepDef<P = unknown> {
  name: string;
  description: string;
  schema: z.ZodType<P>;
  /** What it needs of the target or the site: refused at validation where nobody provides it. */
  needs?: readonly AnyAbility[] | ((params: P) => readonly AnyAbility[]);
  /** The restore points it makes (its backups), for the rules of the steps after it. */
  points?(params: P, ctx: RuleContext): PointsMade;
  /** Its rules, judged against the run as the command line resolved it. */
  validate?(params: P, ctx: StepRuleContext): Problem[];
  /**
   * The outcomes a healthy procedure ends in after it (one list per fault it injects): what passes
   * when the scenario sets no `expect`.
   */
  expects?(params: P): Outcome[][];
  /** Every path it will touch on the target: each is looked at before the drill starts. */
  touches?(params: P): TouchedPath[];
  /** "recovered" needs the services healthy after the restore (verify: services). */
  requiresServices?(params: P): boolean;
  /** The backup interval it keeps (a schedule), reported as the run's scheduleEveryMs. */
  intervalMs?(params: P): number | undefined;
  /** How long it takes (ms), roughly and the same on every machine: shards are balanced by it. */
  estimateMs?(params: P, est: StepEstimate): number;
  run(params: P, ctx: StepContext): Promise<StepResult>;
}

export function defineStep<P>(step: StepDef<P>): StepDef<P> {
  return step;
}
