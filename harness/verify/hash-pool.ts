// SHA-256 of many files on every core: a small pool of worker threads fed with batches of paths.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

// Plain JS so it runs the same under tsx, vitest and node.
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { createHash } = require("node:crypto");
const { openSync, readSync, closeSync } = require("node:fs");
const buf = Buffer.allocUnsafe(4 << 20);
parentPort.on("message", ({ id, paths }) => {
  const out = [];
  for (const p of paths) {
    try {
      const h = createHash("sha256");
      const fd = openSync(p, "r");
      try {
        let n;
        while ((n = readSync(fd, buf, 0, buf.length, null)) > 0) h.update(buf.subarray(0, n));
      } finally { closeSync(fd); }
      out.push(h.digest("hex"));
    } catch (e) { out.push("error:" + (e && e.code || e)); }
  }
  parentPort.postMessage({ id, out });
});`;

export interface HashJob {
  path: string;
  size: number;
}

const BATCH_BYTES = 16 << 20;
const BATCH_FILES = 256;

/** Hashes every file; returns hex digests in the order given ("error:CODE" for unreadable files). */
export async function hashFiles(jobs: HashJob[], threads = availableParallelism()): Promise<string[]> {
  const results: string[] = new Array(jobs.length);
  if (jobs.length === 0) return results;
  const batches: number[][] = [];
  let cur: number[] = [];
  let curBytes = 0;
  // Largest first, so one huge file does not start last and leave a core idle.
  const order = jobs.map((_, i) => i).sort((a, b) => jobs[b]!.size - jobs[a]!.size);
  for (const i of order) {
    cur.push(i);
    curBytes += jobs[i]!.size;
    if (curBytes >= BATCH_BYTES || cur.length >= BATCH_FILES) {
      batches.push(cur);
      cur = [];
      curBytes = 0;
    }
  }
  if (cur.length > 0) batches.push(cur);

  const n = Math.max(1, Math.min(threads, batches.length));
  const workers = Array.from({ length: n }, () => new Worker(WORKER_SOURCE, { eval: true }));
  let next = 0;
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const feed = () => {
              if (next >= batches.length) return resolve();
              const id = next++;
              w.postMessage({ id, paths: batches[id]!.map((i) => jobs[i]!.path) });
            };
            w.on("message", ({ id, out }: { id: number; out: string[] }) => {
              batches[id]!.forEach((jobIndex, k) => (results[jobIndex] = out[k]!));
              feed();
            });
            w.on("error", reject);
            feed();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
