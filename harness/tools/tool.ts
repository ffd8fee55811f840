// The interface every backup-tool adapter implements (duplicity, restic, borg, baselines).
import type { z } from "zod";
import type { CommandExecutor, CommandResult } from "../exec/types.ts";

/** One invocation of the tool, recorded whether it worked or not. */
export interface ToolRun extends CommandResult {
  /** The tool's own words when it failed (first error line), for reports. */
  message?: string;
  /** For a call killed at the timeout: the explicit error it printed before it hung, if any. */
  reportedError?: string;
  /** Numbers the tool printed about its work, e.g. { sourceBytes, addedBytes, errors }. */
  stats?: Record<string, number>;
}

export interface ToolProgress {
  bytes?: number;
  totalBytes?: number;
}

export interface ToolContext {
  exec: CommandExecutor;
  /** Where archives go, as the executor sees it. */
  repoDir: string;
  /** A folder for the tool's cache and state, as the executor sees it. */
  workDir: string;
  /** The passphrase to use now (faults may change it between backup and restore). */
  passphrase(): string;
  timeoutMs?: number;
  onProgress?: (p: ToolProgress) => void;
}

export interface RestoreOptions {
  /** Restore the state as of this time (ISO 8601) instead of the latest backup. */
  at?: string;
}

export interface ToolSession {
  /** Creates the repository where the tool needs one; null when nothing is needed. */
  init(): Promise<ToolRun | null>;
  backup(kind: "full" | "incremental", sourceDir: string): Promise<ToolRun>;
  /** Restores into `destDir`, an empty directory the harness made. */
  restore(destDir: string, opts?: RestoreOptions): Promise<ToolRun>;
  /** Light check of the repository's structure, or deep: read and verify all data. */
  check(deep: boolean, sourceDir: string): Promise<ToolRun>;
  list(): Promise<ToolRun>;
}

/** What a tool keeps of a file besides its content, as measured (shared/FACTS.md). */
export interface ToolFidelity {
  mtimePrecisionMs: number;
  symlinkMtime: boolean;
  hardlinks: boolean;
  xattrs: boolean;
}

export interface ToolAdapter<S extends Record<string, unknown> = Record<string, unknown>> {
  name: string;
  description: string;
  /** Programs that must be on PATH where the tool runs. */
  binaries: string[];
  settings: z.ZodType<S>;
  fidelity: ToolFidelity;
  version(exec: CommandExecutor): Promise<string>;
  open(settings: S, ctx: ToolContext): ToolSession;
}

export function defineTool<S extends Record<string, unknown>>(tool: ToolAdapter<S>): ToolAdapter<S> {
  return tool;
}
