// The shape of results.json (schemaVersion 1): the contract other scripts and reporters read.
import type { RunResult } from "./result.ts";

export const SCHEMA_VERSION = 1;

export interface Environment {
  node: string;
  drdrill: string;
  os: string;
  kernel: string;
  arch: string;
  cpus: number;
  memoryBytes: number;
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
  summary: { runs: number; passed: number; failed: number; outcomes: Record<string, number> };
  exitCode: number;
  interrupted: boolean;
}
