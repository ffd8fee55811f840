// One run's entry in results.json (DESIGN.md): what ran, how it ended, what was measured.
import type { Metrics } from "./metrics.ts";
import type { Outcome } from "./outcome.ts";
import type { AttributeFidelity, Mismatch } from "./verification.ts";
import type { PhaseName } from "./journal-events.ts";
import type { RecoveryPoint } from "./recovery-point.ts";
import type { SandboxRecord } from "./sandbox.ts";

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
  /** The network faults to the site in force while the call ran. */
  duringNetworkFault?: string;
  /** The whole call as the runner saw it, the adapter's helper commands (listing the repository, say) included. */
  callMs?: number;
  stdoutLog: string;
  stderrLog: string;
}

/** A check of the user's (`verify: [{ command }]`) and how it went. */
export interface UserCheckResult {
  command: string;
  /** Where it ran: target, site or local. */
  on: string;
  ok: boolean;
  exitCode: number | null;
  ms: number;
  /** Why it failed, in its own words (the first lines of what it printed). */
  said?: string;
}

export interface FaultRecord {
  fault: string;
  params: Record<string, unknown>;
  effects: Record<string, unknown>;
  atMs: number;
}

export interface Phase {
  name: PhaseName;
  startMs: number;
  endMs: number;
  ok: boolean;
  detail?: string;
}

export interface ObjectiveResult {
  metric: string;
  threshold: string;
  value: number | null;
  passed: boolean;
}

export interface RunVerification {
  filesChecked: number;
  /** Files whose content came back byte-identical. */
  filesIdentical?: number;
  entriesChecked: number;
  mismatchCount: number;
  mismatches: Mismatch[];
  fidelity: Record<string, AttributeFidelity> | null;
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
  /** The bandwidth cap to the site of a swept run (bytes per second). */
  bandwidthBps?: number;
  /** Where the backups went: "local", or the site (with what was measured of the link). */
  destination?: string;
  /** The interval of the scenario's scheduled backups (its first schedule step), when it has one. */
  scheduleEveryMs?: number;
  /** The tool replicates (a failover stands for its restore). */
  replication?: boolean;
  /** The machine's 1-minute load average as the run started and ended (from /proc/loadavg). */
  loadAverage?: { start: number; end: number };
  /**
   * How this run's data was made (generated, cloned from the invocation's pristine copy, seeded through an API), and
   * its size.
   */
  dataset?: { method: string; bytes: number; files: number };
  /** `sandbox: clone`: production and its clone, and production's digest before and after (untouched). */
  sandbox?: SandboxRecord;
  outcome: Outcome;
  reason: string;
  expected: Outcome[];
  passed: boolean;
  metrics: Metrics;
  objectives: ObjectiveResult[];
  verification: RunVerification | null;
  /** Which backup came back, its age at the disaster, the writes lost, and the points tried on the way. */
  recoveryPoint: RecoveryPoint;
  phases: Phase[];
  toolCalls: ToolCallRecord[];
  /** The user's own checks (`verify: [{ command }]`), each as it went; absent when the scenario has none. */
  checks?: UserCheckResult[];
  faults: FaultRecord[];
  /** Backups that did not reach the destination (during an outage), and why. */
  failedBackups?: { label: string; message: string; during: string; atMs: number }[];
  /** A restore test of an existing repository (a scenario's `repository:`): what it read and what it found. */
  restoreTest?: RestoreTestResult;
  error: string | null;
}

/** What a restore test read (never wrote) and found; the timings are in `metrics` (pointAgeMs, restoreMs). */
export interface RestoreTestResult {
  tool: string;
  /** The repository, as the tool opened it. */
  repository: string;
  /** How the tool stayed off the repository, and how it checked what it restored. */
  readOnly: string;
  verifiedBy: string;
  /** When the test started (ISO 8601): the point's age is measured to it. */
  startedAt: string;
  /** Points in the repository, and the newest one's time. */
  points: number;
  newestAt: string | null;
  /** The point restored (else the one tried): the tool's id and its time. */
  point: { toolId: string | null; takenAt: string | null } | null;
  restoredFiles: number | null;
  restoredBytes: number | null;
  /** Against production (compareWith), files older than the point: checked, identical, differing. */
  compareWith: string | null;
  filesChecked: number | null;
  bytesChecked: number | null;
  filesIdentical: number | null;
  differences: number | null;
  /** Production files newer than the point, or gone since: changed since, not differences. */
  changedSince: number | null;
}
