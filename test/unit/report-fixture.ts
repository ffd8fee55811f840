// Hand-built results.json content for report and compare tests: a seed-drill run as drdrill writes it.
import type { RunResult } from "../../harness/model/result.ts";
import type { ResultsFile } from "../../harness/model/results-file.ts";
import type { Metrics } from "../../harness/metrics/compute.ts";
import { verdictOf } from "../../harness/model/verdict.ts";

export const METRICS: Metrics = {
  rtoMs: 1676.1,
  rpoMs: 6120,
  pointAgeMs: 7300,
  writesLost: 61,
  downtimeMs: 2833.7,
  backupMs: 2396.7,
  restoreMs: 1127.7,
  sourceBytes: 50_000_000,
  repoBytes: 35_232_706,
  backupThroughputBps: 20_862_120,
  restoreThroughputBps: 44_337_420,
  peakRssBytes: 37_408_768,
  cpuMs: 3400,
};

const LABEL = "duplicity encryption=gpg-symmetric volsize=200 compression=default";

export function run(over: Omit<Partial<RunResult>, "metrics"> & { metrics?: Partial<Metrics> } = {}): RunResult {
  const index = over.index ?? 0;
  const dir = `logs/run-${String(index + 1).padStart(3, "0")}`;
  const { metrics, ...rest } = over;
  return {
    index,
    scenario: "seed-drill",
    file: "scenarios/seed/seed-drill.yaml",
    tool: "duplicity",
    label: LABEL,
    group: `seed-drill :: ${LABEL}`,
    settings: {
      encryption: "gpg-symmetric",
      passphrase: { env: "DRDRILL_PASSPHRASE" },
      volsize: 200,
      compression: "default",
    },
    target: "local",
    mode: "cold",
    repeat: 1,
    outcome: "recovered",
    reason: "every file matches the manifest and the services are healthy",
    expected: ["recovered"],
    passed: true,
    objectives: [
      { metric: "rtoMs", threshold: "< 10m", value: 1676.1, passed: true },
      { metric: "rpoMs", threshold: "<= 15m", value: 6120, passed: true },
    ],
    verification: {
      filesChecked: 197,
      entriesChecked: 274,
      mismatchCount: 0,
      mismatches: [],
      fidelity: {
        mode: { checked: 265, kept: 265, required: false },
        mtime: { checked: 265, kept: 265, required: false, precisionMs: 1000 },
        xattrs: { checked: 1, kept: 0, required: false },
      },
    },
    phases: [
      { name: "prepare", startMs: 0.6, endMs: 1.5, ok: true },
      { name: "seed", startMs: 143.3, endMs: 535.7, ok: true },
      { name: "quiesce", startMs: 953.1, endMs: 962.8, ok: true },
      { name: "manifest", startMs: 963, endMs: 1145.9, ok: true },
      { name: "backup", startMs: 1146.8, endMs: 3546.8, ok: true, detail: "full" },
      { name: "resume", startMs: 3548, endMs: 3555.7, ok: true },
      { name: "load", startMs: 3969.8, endMs: 6973.7, ok: true, detail: "3s" },
      { name: "fault", startMs: 6974.3, endMs: 7029.4, ok: true, detail: "delete-path" },
      { name: "quiesce", startMs: 7030.1, endMs: 7040, ok: true },
      { name: "restore", startMs: 7040.9, endMs: 8171.2, ok: true, detail: "latest" },
      { name: "inspect", startMs: 8171.5, endMs: 8382.9, ok: true },
      { name: "replace", startMs: 8385.5, endMs: 8388.9, ok: true },
      { name: "resume", startMs: 8389.8, endMs: 8398.5, ok: true },
      { name: "verify", startMs: 8917.6, endMs: 8918.1, ok: true, detail: "files,services" },
      { name: "cleanup", startMs: 8918.4, endMs: 8977.3, ok: true },
    ],
    toolCalls: [
      {
        kind: "backup",
        label: "duplicity-full",
        command: "PASSPHRASE=*** duplicity full /data file:///repo",
        exitCode: 0,
        signal: null,
        timedOut: false,
        durationMs: 2397,
        stdoutLog: `${dir}/003-duplicity-full.stdout.log`,
        stderrLog: `${dir}/003-duplicity-full.stderr.log`,
      },
      {
        kind: "restore",
        label: "duplicity-restore",
        command: "PASSPHRASE=*** duplicity restore file:///repo /staging",
        exitCode: 0,
        signal: null,
        timedOut: false,
        durationMs: 1128,
        stdoutLog: `${dir}/004-duplicity-restore.stdout.log`,
        stderrLog: `${dir}/004-duplicity-restore.stderr.log`,
      },
    ],
    faults: [
      {
        fault: "delete-path",
        params: { path: "." },
        effects: { path: ".", kind: "directory", entriesDeleted: 274 },
        atMs: 7031.9,
      },
    ],
    recoveryPoint: {
      asked: "latest",
      backup: { number: 1, of: 1, kind: "full", toolId: null, takenAt: "2026-11-26T09:36:40.383Z" },
      disasterAt: "2026-11-26T09:36:47.683Z",
      ageAtDisasterMs: 7300,
      writesLost: 61,
      newestWriteAtDisaster: { seq: 98, wallMs: 1795685807680 },
      newestWriteSurviving: { seq: 37, wallMs: 1795685801560 },
      filesChecked: 197,
      filesIdentical: 197,
      identicalShare: 1,
      attempts: [
        {
          attempt: 1,
          backup: 1,
          toolId: null,
          takenAt: "2026-11-26T09:36:40.383Z",
          verdict: "restored",
          said: null,
          placed: true,
        },
      ],
      fallback: null,
    },
    error: null,
    ...rest,
    metrics: { ...METRICS, ...metrics },
  };
}

export function resultsFile(results: RunResult[], over: Partial<ResultsFile> = {}): ResultsFile {
  const outcomes: Record<string, number> = {};
  for (const r of results) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
  return {
    schemaVersion: 1,
    runId: "20261126T093639-ea77e9",
    startedAt: "2026-11-26T09:36:39.237Z",
    finishedAt: "2026-11-26T09:36:48.228Z",
    argv: ["run", "scenarios/seed", "--out", "/tmp/r1"],
    environment: {
      node: "v20.20.2",
      drdrill: "0.1.0",
      os: "Debian GNU/Linux 12 (bookworm)",
      kernel: "6.1.0",
      arch: "x64",
      cpus: 2,
      memoryBytes: 25_276_063_744,
      target: { kind: "local" },
      tools: { duplicity: "0.8.22" },
    },
    scenarios: [
      {
        name: "seed-drill",
        file: "scenarios/seed/seed-drill.yaml",
        sha256: "ef8a19b20446a1d4361077500d9ed9142c46b3007369c3c080d7a183dae1a6e7",
      },
    ],
    results,
    summary: {
      runs: results.length,
      passed: results.filter((r) => r.passed).length,
      failed: results.filter((r) => !r.passed).length,
      outcomes,
    },
    exitCode: verdictOf({ results, interrupted: over.interrupted ?? false }).exitCode,
    interrupted: false,
    ...over,
  };
}

/** `n` repeats of the seed drill whose metrics are scaled by the factors given per repeat (noise). */
export function repeats(factors: number[], scale: Partial<Record<keyof Metrics, number>> = {}): RunResult[] {
  return factors.map((f, i) => {
    const m = Object.fromEntries(
      Object.entries(METRICS).map(([k, v]) => {
        const s = scale[k as keyof Metrics] ?? 1;
        const jitter = k.endsWith("Bps") ? 1 / f : k === "sourceBytes" || k === "repoBytes" ? 1 : f;
        return [k, v === null ? null : v * s * jitter];
      }),
    ) as unknown as Metrics;
    return run({ index: i, repeat: i + 1, metrics: m });
  });
}

/** A copy of a results file as if each restore took `delayMs` longer (a wrapper sleeping before the tool). */
export function slowRestore(file: ResultsFile, delayMs: number): ResultsFile {
  const copy = structuredClone(file);
  for (const r of copy.results) {
    const m = r.metrics;
    m.restoreMs! += delayMs;
    m.rtoMs! += delayMs;
    m.restoreThroughputBps = m.sourceBytes! / (m.restoreMs! / 1000);
  }
  return { ...copy, runId: "slow-restore" };
}
