// The shape of results.json (schemaVersion 1): the contract other scripts and reporters read.
import type { Comparison } from "./comparison.ts";
import type { Projection } from "./projection.ts";
import type { RunResult } from "./result.ts";

export const SCHEMA_VERSION = 1;

export interface Environment {
  node: string;
  drdrill: string;
  os: string;
  kernel: string;
  arch: string;
  cpus: number;
  /** The CPU's model name (absent in files from before it). */
  cpuModel?: string;
  memoryBytes: number;
  /** The file system the run folder is on (its type, e.g. ext4, tmpfs, overlay, and its mount point). */
  fileSystem?: { type: string; mountPoint: string };
  target: Record<string, string>;
  tools: Record<string, string>;
}

export interface ResultsFile {
  schemaVersion: number;
  runId: string;
  startedAt: string;
  finishedAt: string;
  argv: string[];
  environment: Environment;
  scenarios: { name: string; file: string; sha256: string }[];
  results: RunResult[];
  /**
   * The most runs that went at once (--jobs; 1: one after the other). Timings of runs that shared
   * the machine are not comparable with those of serial runs. Absent in files from before --jobs.
   */
  parallelJobs?: number;
  /** Warm-up runs (--warmup, or `warmup: true`): one per tool + settings, run first, not counted anywhere. */
  warmups?: WarmupRun[];
  /** Per scenario and tool + settings: statistics of each metric over the counted runs, ratio to the best, winners. */
  comparison?: Comparison;
  /**
   * Per scenario that set `project: { size }` and tool + settings: restore time, backup time and
   * repository size fitted against its swept sizes (`sweep.size`) and projected to that size.
   */
  projection?: Projection[];
  summary: { runs: number; passed: number; failed: number; outcomes: Record<string, number> };
  exitCode: number;
  interrupted: boolean;
  /** What a reader must know to read the numbers (VM timings emulated, runs in parallel...). */
  warnings?: string[];
}

export interface WarmupRun {
  /** Its index in the journal and its logs folder (logs/run-<index + 1>). */
  index: number;
  group: string;
  outcome: string;
  reason: string;
}
