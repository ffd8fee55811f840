// Micro-benchmarks (tinybench) of drdrill's own hot code for comparisons: the tools' output parsers on
// captured samples (restic's scaled to a long backup's worth of status lines) and the statistics functions.
import { readFileSync } from "node:fs";
import { Bench } from "tinybench";
import { compareRuns, type ComparableRun } from "../harness/metrics/comparison.ts";
import type { Metrics } from "../harness/metrics/compute.ts";
import { describe, outlierIndices } from "../harness/metrics/statistics.ts";
import { parseBorgCreate, parseBorgList } from "../harness/tools/borg-output.ts";
import { parseDuplicityStats } from "../harness/tools/duplicity.ts";
import { parseResticSnapshots, parseResticSummary } from "../harness/tools/restic-output.ts";
import type { BenchModule } from "./run.ts";

const fixture = (name: string) => readFileSync(new URL(`../test/fixtures/tools/${name}`, import.meta.url), "utf8");

// What the executor keeps of a long backup's stdout: a 64 KiB tail of status lines, then the summary.
function resticTail(): string {
  const lines = fixture("restic-backup-full.stdout.jsonl").trim().split("\n");
  const status = lines.filter((l) => l.includes('"status"'));
  let text = "";
  while (text.length < 64 * 1024) text += `${status.join("\n")}\n`;
  return `${text.slice(-64 * 1024)}${lines.at(-1)}\n`;
}

const DUPLICITY = `--------------[ Backup Statistics ]--------------
StartTime 1795679915.97 (Thu Nov 26 07:58:35 2026)
EndTime 1795679958.71 (Thu Nov 26 07:59:18 2026)
ElapsedTime 42.74 (42.74 seconds)
SourceFiles 7816
SourceFileSize 1677488152 (1.56 GB)
NewFiles 7816
NewFileSize 1677488152 (1.56 GB)
DeletedFiles 0
ChangedFiles 0
ChangedFileSize 0 (0 bytes)
ChangedDeltaSize 0 (0 bytes)
DeltaEntries 7816
RawDeltaSize 1676185600 (1.56 GB)
TotalDestinationSizeChange 678428032 (647 MB)
Errors 0
-------------------------------------------------
`;

function runs(groups: number, repeats: number): ComparableRun[] {
  const out: ComparableRun[] = [];
  let seed = 1;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let g = 0; g < groups; g++) {
    for (let r = 0; r < repeats; r++) {
      const m: Metrics = {
        rtoMs: 5000 + rnd() * 1000,
        rpoMs: 3000 + rnd() * 500,
        pointAgeMs: 3500,
        writesLost: 30,
        downtimeMs: 4000,
        backupMs: 10_000,
        restoreMs: 5000,
        sourceBytes: 1.6e9,
        repoBytes: 6e8 + g * 1e7,
        backupThroughputBps: 1.4e8 + rnd() * 2e7,
        restoreThroughputBps: 3e8 + rnd() * 3e7,
        peakRssBytes: 1e8,
        cpuMs: 14_000 + rnd() * 500,
      };
      out.push({
        index: out.length,
        scenario: "bench",
        group: `bench :: tool-${g}`,
        tool: `tool-${g}`,
        label: `tool-${g}`,
        settings: {},
        outcome: "recovered",
        passed: true,
        metrics: m,
      });
    }
  }
  return out;
}

const bench: BenchModule = {
  name: "parsers-and-statistics",
  async run() {
    const tail = resticTail();
    const snapshots = fixture("restic-snapshots.json");
    const borgCreate = fixture("borg-create.stdout.json");
    const borgList = fixture("borg-list.stdout.json");
    const sample100 = Array.from({ length: 100 }, (_, i) => 10_000 + ((i * 7919) % 400) - (i === 50 ? -9000 : 0));
    const model = runs(7, 10);

    const b = new Bench({ time: 500, warmup: true });
    b.add("restic summary from a 64 KiB status tail", () => parseResticSummary(tail))
      .add("restic snapshots --json", () => parseResticSnapshots(snapshots))
      .add("borg create --json", () => parseBorgCreate(borgCreate))
      .add("borg list --json", () => parseBorgList(borgList))
      .add("duplicity statistics block", () => parseDuplicityStats(DUPLICITY))
      .add("describe() of 100 values", () => describe(sample100))
      .add("outlierIndices() of 100 values", () => outlierIndices(sample100))
      .add("compareRuns() of 7 groups x 10 runs", () => compareRuns(model));
    await b.run();

    // tinybench's own field names: latency mean and p99 in ms, rme in percent.
    const tasks: Record<string, unknown> = {};
    for (const t of b.tasks) {
      const r = t.result;
      if (r.state !== "completed") {
        tasks[t.name] = { state: r.state };
        continue;
      }
      tasks[t.name] = {
        mean: r.latency.mean,
        p99: r.latency.p99,
        rme: r.latency.rme,
        samples: r.latency.samplesCount,
        opsPerSecond: Math.round(r.throughput.mean),
      };
    }
    return { units: { mean: "ms", p99: "ms", rme: "%" }, tasks };
  },
};
export default bench;
