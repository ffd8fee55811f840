// Samples the resident memory of a process and all its descendants from /proc (Linux).
import { readFileSync } from "node:fs";

const PAGE = 4096;

export function children(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function rssBytes(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/statm`, "utf8").split(" ");
    return Number(fields[1]) * PAGE;
  } catch {
    return 0;
  }
}

/** Sum of RSS over the process tree rooted at `pid`. */
export function treeRssBytes(pid: number): number {
  let total = 0;
  const stack = [pid];
  const seen = new Set<number>();
  while (stack.length > 0) {
    const p = stack.pop()!;
    if (seen.has(p)) continue;
    seen.add(p);
    total += rssBytes(p);
    stack.push(...children(p));
  }
  return total;
}

/** Polls the tree's RSS until stopped; `peak` holds the largest sum seen. */
export function startRssSampler(pid: number, intervalMs = 250): { stop(): number } {
  let peak = treeRssBytes(pid);
  let timer: NodeJS.Timeout;
  // Sample early too (20, 60, 140 ms...), so a short command is not measured as its bash wrapper only.
  const tick = (delay: number) => {
    timer = setTimeout(() => {
      peak = Math.max(peak, treeRssBytes(pid));
      tick(Math.min(intervalMs, delay * 2));
    }, delay);
    timer.unref();
  };
  tick(20);
  return {
    stop() {
      clearTimeout(timer);
      return peak;
    },
  };
}

/** The pids of a process and all its descendants. */
export function treePids(pid: number): number[] {
  const out: number[] = [];
  const stack = [pid];
  while (stack.length > 0) {
    const p = stack.pop()!;
    if (out.includes(p)) continue;
    out.push(p);
    stack.push(...children(p));
  }
  return out;
}

/** The most bytes any one process of the tree has read so far (rchar): how far a backup has got. */
export function treeMaxReadBytes(pid: number): number {
  let max = 0;
  for (const p of treePids(pid)) {
    try {
      const m = /^rchar:\s+(\d+)/m.exec(readFileSync(`/proc/${p}/io`, "utf8"));
      if (m) max = Math.max(max, Number(m[1]));
    } catch {
      // gone already
    }
  }
  return max;
}
