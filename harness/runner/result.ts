// One run's entry in results.json (DESIGN.md): what ran, how it ended, what was measured.
import type { Metrics } from "../metrics/compute.ts";
import type { Phase } from "../metrics/phases.ts";
import type { ObjectiveResult } from "../objectives/evaluate.ts";
import type { Outcome } from "../outcome.ts";
import type { AttributeFidelity, Mismatch } from "./verify.ts";

export interface ToolCallRecord {
  kind: string;
  label: string;
  command: string;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  durationMs: number;
  message?: string;
  stats?: Record<string, number>;
  stdoutLog: string;
  stderrLog: string;
}

export interface FaultRecord {
  fault: string;
  params: Record<string, unknown>;
  effects: Record<string, unknown>;
  atMs: number;
}

export interface RunResult {
  index: number;
  scenario: string;
  file: string;
  tool: string;
  label: string;
  group: string;
  settings: Record<string, unknown>;
  target: string;
  mode: string;
  repeat: number;
  /** The backup interval of a swept schedule (ms). */
  intervalMs?: number;
  outcome: Outcome;
  reason: string;
  expected: Outcome[];
  passed: boolean;
  metrics: Metrics;
  objectives: ObjectiveResult[];
  verification: {
    filesChecked: number;
    entriesChecked: number;
    mismatchCount: number;
    mismatches: Mismatch[];
    fidelity: Record<string, AttributeFidelity> | null;
  } | null;
  phases: Phase[];
  toolCalls: ToolCallRecord[];
  faults: FaultRecord[];
  error: string | null;
}
