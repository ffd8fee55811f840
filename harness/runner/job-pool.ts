// Runs an invocation's runs with at most `jobs` going at once (--jobs); a run whose target cannot
// share the machine with others goes alone. No new run starts once `stop()` says so; those running
// finish (their cleanup runs). Returns the most that went at once; rethrows the first unexpected
// error once everything started has settled.
export interface PoolOptions<T> {
  jobs: number;
  /** This item must run with nothing else going. */
  alone(item: T): boolean;
  /** Start nothing more (Ctrl-C). */
  stop(): boolean;
}

export async function runPool<T>(
  items: readonly T[],
  opts: PoolOptions<T>,
  work: (item: T) => Promise<void>,
): Promise<number> {
  const running = new Set<Promise<void>>();
  let most = 0;
  let failure: { error: unknown } | null = null;
  const start = (item: T) => {
    const p: Promise<void> = work(item)
      .catch((error: unknown) => void (failure ??= { error }))
      .finally(() => running.delete(p));
    running.add(p);
    most = Math.max(most, running.size);
  };
  for (const item of items) {
    if (opts.stop() || failure) break;
    const alone = opts.jobs <= 1 || opts.alone(item);
    while (running.size >= (alone ? 1 : opts.jobs)) await Promise.race(running);
    if (opts.stop() || failure) break;
    start(item);
    if (alone) await Promise.all(running);
  }
  await Promise.all(running);
  if (failure) throw (failure as { error: unknown }).error;
  return most;
}
