// The interface of a fault injector: one file per fault, each with its parameters, its expected
// outcome, every path it will touch (checked before the run), its rules, and what it needs of the
// target or the site (abilities, refused at validation where nobody provides them).
// A fault strikes at its step, or arms itself for the next backup or restore (a crash mid-backup,
// files changing under a hot backup, a full disk under a restore). It touches files only through
// the target's confined directories (the data directory, the backup destination).
import type { z } from "zod";
import type { ConfinedDir } from "../agent/confined-dir.ts";
import type { ProcessHandle } from "../exec/types.ts";
import type { Outcome } from "../model/outcome.ts";
import type { AbilitySet, AnyAbility } from "../rules/ability.ts";
import type { Problem, RuleContext } from "../rules/context.ts";
import type { SmallFilesystem } from "../targets/target.ts";
import type { ToolAdapter, ToolRun, ToolSession } from "../tools/tool.ts";

export type { SmallFilesystem };

/** What a fault's rules see: the run as resolved, and the tool under test. */
export interface FaultRuleContext extends RuleContext {
  readonly adapter: ToolAdapter;
}

/** A place a fault will touch: checked before anything runs, and again by the agent at every touch. */
export interface FaultPath {
  /** The data directory or the backup destination. */
  root: "data" | "repo";
  path: string;
  /** What must be there: a real folder (never a symlink), or anything (a link is acted on itself). */
  kind: "dir" | "any";
  /** The parameter it came from, for messages. */
  field: string;
}

export interface FaultContext {
  /** The target's data directory: files are touched only through it. */
  data: ConfinedDir;
  /** The backup destination. */
  repo: ConfinedDir;
  /** A scratch folder of the target for this fault (control files), not part of the data. */
  scratch: ConfinedDir;
  /** The tool under test and its settings: faults ask it, never its name. */
  tool: ToolAdapter;
  settings: Record<string, unknown>;
  /** Size of the protected data at the last backup (or as seeded). */
  sourceBytes: number;
  /** The scenario's dataset seed, so random choices repeat. */
  seed: number;
  /** Runs a backup now and SIGKILLs its process group after `afterMs` (a crashed run). */
  crashBackup(afterMs: number): Promise<ToolRun>;
  /** A call of the tool outside the drill's backups and restores (an attacker's, an operator's), journalled. */
  toolCall(fn: (s: ToolSession) => Promise<ToolRun>, label?: string): Promise<ToolRun>;
  /** The target's services: whether they run, and stopping them. */
  services: { running(): boolean; stop(): Promise<void> };
  /** What the target and the site provide this run (what the fault `needs` is there: checked before the run). */
  abilities: AbilitySet;
  /** The secondary site, when the backups go to one. */
  site?: SiteControl;
  /** The swept bandwidth cap of this run (bytes per second). */
  bandwidthBps?: number;
}

/** What faults know of a secondary site: whether it is append-only (its packet filter is an ability). */
export interface SiteControl {
  appendOnly: boolean;
}

/** What a fault found when it judged a restored tree (files it changed while they were backed up). */
export interface Judgement {
  ok: boolean;
  detail: string;
  counts: Record<string, number>;
}

/** A fault that acts on the next backup or restore rather than at once. */
export interface ArmedFault {
  /** Which tool call it acts on. */
  on: "backup" | "restore";
  /** Called with the tool's process group once the call it acts on started. */
  onToolStart?(group: ProcessHandle): void;
  /** Called after that call ended; returns what happened, for the journal and the report. */
  finish(
    run: ToolRun,
  ): Promise<{ effects: Record<string, unknown>; consumedFailure?: boolean; detectedBy?: string; retry?: boolean }>;
  /** Paths (relative to the data directory) left out of the strict comparison and judged instead. */
  volatile?: string[];
  /** Judges the restored tree (`under` a folder of `dir`). */
  judge?(restored: { dir: ConfinedDir; under: string }): Promise<Judgement>;
  /** Restore onto this small file system. */
  stagingOn?: SmallFilesystem;
  /** Always called at the end of the run (unmount, stop writers). */
  dispose?(): Promise<void>;
  /** Called just before the call it acts on starts (an operator's step before a restore). */
  beforeCall?(): Promise<Record<string, unknown>>;
}

/** The passphrases a fault puts in place from now on, per kind of tool call. */
export interface PassphraseOverride {
  backup?: string;
  restore?: string;
  check?: string;
}

export interface InjectResult {
  effects: Record<string, unknown>;
  armed?: ArmedFault;
  passphrase?: PassphraseOverride;
  /** Something that lasts until it is healed (a network rule): taken away by heal-network, or at the end. */
  lasting?: { remove(): Promise<void>; forMs?: number };
}

export interface Fault<P = unknown> {
  name: string;
  description: string;
  params: z.ZodType<P>;
  /** The outcome(s) a healthy procedure produces under this fault. */
  expect: Outcome[];
  /** Checks of its parameters alone, made with the scenario's schema (e.g. a path that leaves the data directory). */
  checkParams?(params: P): Problem[];
  /** What it needs of the target or the site (a small file system, site B's packet filter). */
  needs?: readonly AnyAbility[];
  /** Its rules, judged against the run as the command line resolved it (the tool, the sweep, the site). */
  validate?(params: P, ctx: FaultRuleContext): Problem[];
  /** Every path the fault names (folders, files): checked on the target before the drill starts. */
  paths?(params: P): FaultPath[];
  /** It takes every lasting network fault away before it is injected (heal-network). */
  heals?: boolean;
  /**
   * It destroys nothing (a network fault): not the disaster RTO and RPO are measured from, and tool
   * failures while it lasts are the outage's, recorded as such.
   */
  transient?: boolean;
  /** Breaks something (or arms itself); returns what it did, for the journal and the report. */
  inject(params: P, ctx: FaultContext): Promise<InjectResult>;
}

export function defineFault<P>(fault: Fault<P>): Fault<P> {
  return fault;
}
