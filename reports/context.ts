// The context a benchmark is read in, for every report: the CPU, the run folder's file system, the
// data set each scenario drilled (how it was made, its files and bytes) and how busy the machine was.
import type { ResultsFile } from "../harness/model/results-file.ts";
import { formatBytes } from "../harness/util/units.ts";

export interface ContextRow {
  name: string;
  value: string;
}

/** "generated, 2.00 MB in 148 files" per scenario (its first run that seeded data). */
function datasets(results: ResultsFile): ContextRow[] {
  const seen = new Map<string, string>();
  for (const r of results.results) {
    if (!r.dataset || seen.has(r.scenario)) continue;
    const d = r.dataset;
    seen.set(r.scenario, `${d.method}, ${formatBytes(d.bytes)} in ${d.files} file${d.files === 1 ? "" : "s"}`);
  }
  return [...seen].map(([scenario, value]) => ({ name: `data set of ${scenario}`, value }));
}

function load(results: ResultsFile): ContextRow[] {
  const xs = results.results.flatMap((r) => (r.loadAverage ? [r.loadAverage.start, r.loadAverage.end] : []));
  if (xs.length === 0) return [];
  const [lo, hi] = [Math.min(...xs), Math.max(...xs)];
  const busy = hi > results.environment.cpus ? `: busy (above ${results.environment.cpus} cores)` : "";
  return [
    { name: "load average", value: `${lo.toFixed(2)}–${hi.toFixed(2)} (1 minute, at runs' start and end)${busy}` },
  ];
}

export function contextRows(results: ResultsFile): ContextRow[] {
  const e = results.environment;
  return [
    ...(e.cpuModel ? [{ name: "CPU", value: `${e.cpuModel} (${e.cpus} cores)` }] : []),
    ...(e.fileSystem
      ? [{ name: "run folder's file system", value: `${e.fileSystem.type} on ${e.fileSystem.mountPoint}` }]
      : []),
    ...datasets(results),
    ...load(results),
  ];
}
