// Start time: `drdrill --version`, wall time, median of 10 (BENCH_STARTUP_RUNS) for the compiled entry (dist/,
// built first when stale: what an installed drdrill runs) and the sources through tsx (DRDRILL_FROM_SOURCE=1:
// what every start ran before the build). Warm: after one unmeasured start, everything in the page cache.
// Cold: before each start, the pages of what it reads (bin/, dist/ or the sources, node_modules) are dropped
// from the page cache (posix_fadvise DONTNEED, this checkout's files only, no global drop) and tsx's
// transform cache is off, as on the first start after an install or an edit.
import { execa } from "execa";
import { join } from "node:path";
import { distIsCurrent } from "../bin/source-stamp.js";
import type { BenchModule } from "./run.ts";
import { median, timeMs } from "./util.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 10);

/** Drops the page cache of every file under the given folders (python3: node has no fadvise). */
const EVICT = `
import os, sys
for top in sys.argv[1:]:
    for d, _, names in os.walk(top):
        for n in names:
            try:
                fd = os.open(os.path.join(d, n), os.O_RDONLY | os.O_NOFOLLOW)
            except OSError:
                continue
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)
`;

async function evict(dirs: string[]): Promise<void> {
  await execa("python3", ["-c", EVICT, ...dirs.map((d) => join(ROOT, d))]);
}

async function version(env: Record<string, string>): Promise<number> {
  return timeMs(() => execa(process.execPath, [join(ROOT, "bin/drdrill.js"), "--version"], { env }));
}

async function measure(env: Record<string, string>, reads: string[]) {
  await version(env);
  const warm: number[] = [];
  for (let i = 0; i < RUNS; i++) warm.push(await version(env));
  const cold: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await evict(reads);
    cold.push(await version({ ...env, TSX_DISABLE_CACHE: "1" }));
  }
  const ms = (x: number) => Math.round(x);
  return { warmMedianMs: ms(median(warm)), coldMedianMs: ms(median(cold)), warmMs: warm.map(ms), coldMs: cold.map(ms) };
}

const bench: BenchModule = {
  name: "startup",
  async run() {
    if (!distIsCurrent(ROOT)) await execa(process.execPath, [join(ROOT, "scripts/build.mjs")], { stdio: "inherit" });
    const compiled = await measure({ DRDRILL_FROM_SOURCE: "" }, ["bin", "dist", "node_modules"]);
    const tsx = await measure({ DRDRILL_FROM_SOURCE: "1" }, ["bin", "harness", "reports", "node_modules"]);
    return {
      command: "drdrill --version",
      runs: RUNS,
      compiled,
      tsx,
      speedupWarm: Number((tsx.warmMedianMs / compiled.warmMedianMs).toFixed(2)),
    };
  },
};
export default bench;
