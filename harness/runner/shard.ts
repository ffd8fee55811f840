// Splits the runs of an invocation into N shards balanced by expected duration: longest first, each
// to the shard with the least expected work so far (ties: the lower run number, the lower shard), so
// the split is the same on every machine; within a shard, runs keep their plan order.
export function splitShards(
  indexes: readonly number[],
  count: number,
  expectedMs: (index: number) => number,
): number[][] {
  const shards = Array.from({ length: count }, () => ({ load: 0, runs: [] as number[] }));
  const order = [...indexes].sort((a, b) => expectedMs(b) - expectedMs(a) || a - b);
  for (const i of order) {
    let best = 0;
    for (let s = 1; s < count; s++) if (shards[s]!.load < shards[best]!.load) best = s;
    shards[best]!.load += expectedMs(i);
    shards[best]!.runs.push(i);
  }
  return shards.map((s) => s.runs.sort((a, b) => a - b));
}
