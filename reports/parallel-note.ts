// What a report says when runs went at once (--jobs): their timings shared the machine.
import type { ResultsFile } from "../harness/model/results-file.ts";

export function parallelNote(results: ResultsFile): string | null {
  const n = results.parallelJobs ?? 1;
  if (n <= 1) return null;
  return (
    `Up to ${n} runs went at once (--jobs ${n}): they shared this machine, so their timings (RTO, durations, ` +
    `throughput, CPU) are not comparable with those of runs made one at a time.`
  );
}
