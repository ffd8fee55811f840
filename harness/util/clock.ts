// Monotonic time in milliseconds, for durations that wall-clock jumps cannot distort.
export function monoMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
