// Manifest hashing throughput (drdrill's agent: walk, lstat, xattrs, sha256 on every core) vs
// sha256sum on every core (find | xargs -P2 sha256sum), on the same generated tree, warm cache, median of 3.
import { execa } from "execa";
import { mkdtemp, rm } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { localDir } from "../harness/agent/local-dir.ts";
import { generateDataset } from "../harness/targets/local/generator.ts";
import { parseSize } from "../harness/util/units.ts";
import type { BenchModule } from "./run.ts";
import { median, timeMs } from "./util.ts";

const bench: BenchModule = {
  name: "manifest-hashing",
  async run() {
    const sizeBytes = parseSize(process.env.BENCH_HASH_SIZE ?? "1GB")!;
    const dir = await mkdtemp(join(tmpdir(), "drdrill-bench-hash-"));
    try {
      const data = join(dir, "common");
      await generateDataset(data, sizeBytes, 1);
      const cores = availableParallelism();
      const sha = () =>
        execa("sh", ["-c", `find . -type f -print0 | xargs -0 -P${cores} -n 32 sha256sum > /dev/null`], { cwd: data });
      await sha(); // warm the page cache
      const ours: number[] = [];
      const theirs: number[] = [];
      for (let i = 0; i < 3; i++) {
        theirs.push(await timeMs(sha));
        ours.push(await timeMs(() => localDir(data).manifest()));
      }
      const oursMBps = sizeBytes / 1e6 / (median(ours) / 1000);
      const theirsMBps = sizeBytes / 1e6 / (median(theirs) / 1000);
      return {
        sizeBytes,
        cores,
        drdrillMedianMs: Math.round(median(ours)),
        sha256sumMedianMs: Math.round(median(theirs)),
        drdrillMBps: Math.round(oursMBps),
        sha256sumMBps: Math.round(theirsMBps),
        ratio: Math.round((oursMBps / theirsMBps) * 100) / 100,
        target: ">= 0.9",
        note:
          "drdrill's figure includes the agent's start, the tree walk, lstat and xattrs of every entry, and " +
          "reading its answer",
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
export default bench;
