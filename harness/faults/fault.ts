// The interface of a fault injector: one file per fault, each with its parameters and expected outcome.
import type { z } from "zod";
import type { Outcome } from "../outcome.ts";

/** What a fault may change about the drill besides files (e.g. the passphrase used to restore). */
export interface DrillState {
  passphrase: string;
}

export interface FaultContext {
  /** The target's data directory on the host. */
  dataDir: string;
  /** The backup destination on the host. */
  repoDir: string;
  state: DrillState;
  /** Resolves `rel` inside `root`, refusing anything that would leave it (also through symlinks). */
  confine(root: string, rel: string): Promise<string>;
}

export interface Fault<P = unknown> {
  name: string;
  description: string;
  params: z.ZodType<P>;
  /** The outcome a healthy procedure produces under this fault. */
  expect: Outcome[];
  /** Checks before the run that need no files (e.g. a path that leaves the data directory). */
  validate?(params: P): string[];
  /** Breaks something; returns what it did, for the journal and the report. */
  inject(params: P, ctx: FaultContext): Promise<Record<string, unknown>>;
}

export function defineFault<P>(fault: Fault<P>): Fault<P> {
  return fault;
}
