// The interface of a fault injector: one file per fault, each with its parameters and expected outcome.
// A fault strikes at its step, or arms itself for the next backup or restore (a crash mid-backup,
// files changing under a hot backup, a full disk under a restore).
import type { z } from "zod";
import type { ProcessHandle } from "../exec/types.ts";
import type { Outcome } from "../model/outcome.ts";
import type { ToolRun } from "../tools/tool.ts";

/** What a fault may change about the drill besides files. */
export interface DrillState {
  /** The passphrase the tool was set up with. */
  passphrase: string;
  /** Passphrases to use instead, per kind of tool call (a wrong or lost key). */
  override: { backup?: string; restore?: string; check?: string };
}

export interface FaultContext {
  /** The target's data directory on the host. */
  dataDir: string;
  /** The backup destination on the host. */
  repoDir: string;
  /** A scratch folder for this fault (mount points, notes), removed after the run. */
  workDir: string;
  /** The tool under test (faults on archives pick its volume files) and its settings. */
  tool: string;
  settings: Record<string, unknown>;
  /** Size of the protected data at the last backup (or as seeded). */
  sourceBytes: number;
  /** The scenario's dataset seed, so random choices repeat. */
  seed: number;
  state: DrillState;
  /** Resolves `rel` inside `root`, refusing anything that would leave it (also through symlinks). */
  confine(root: string, rel: string): Promise<string>;
  /** Runs a backup now and SIGKILLs its process group after `afterMs` (a crashed run). */
  crashBackup(afterMs: number): Promise<ToolRun>;
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
  finish(run: ToolRun): Promise<{ effects: Record<string, unknown>; consumedFailure?: boolean; detectedBy?: string; retry?: boolean }>;
  /** Paths (relative to the data directory) left out of the strict comparison and judged instead. */
  volatile?: string[];
  judge?(restoredRoot: string): Promise<Judgement>;
  /** Restore into a directory under this host folder (e.g. a small filesystem). */
  stagingParent?: string;
  /** Always called at the end of the run (unmount, stop writers). */
  dispose?(): Promise<void>;
}

export interface InjectResult {
  effects: Record<string, unknown>;
  armed?: ArmedFault;
}

export interface Fault<P = unknown> {
  name: string;
  description: string;
  params: z.ZodType<P>;
  /** The outcome(s) a healthy procedure produces under this fault. */
  expect: Outcome[];
  /** Checks before the run that need no files (e.g. a path that leaves the data directory). */
  validate?(params: P): { field?: string; message: string }[];
  /** Breaks something (or arms itself); returns what it did, for the journal and the report. */
  inject(params: P, ctx: FaultContext): Promise<InjectResult>;
}

export function defineFault<P>(fault: Fault<P>): Fault<P> {
  return fault;
}
