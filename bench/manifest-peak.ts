// Child of bench/real-tree.bench.ts: one manifest of the folder in argv[2]; prints the files it
// counted, node's peak RSS and the peak of the agent (its child, sampled from /proc while it works).
import { readdirSync, readFileSync } from "node:fs";
import { localDir } from "../harness/agent/local-dir.ts";

const children = (pid: number): string[] => {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((t) =>
      readFileSync(`/proc/${pid}/task/${t}/children`, "utf8").trim().split(/\s+/).filter(Boolean),
    );
  } catch {
    return [];
  }
};
let agentPeakKb = 0;
const sample = () => {
  for (const k of children(process.pid)) {
    try {
      const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${k}/status`, "utf8"))?.[1];
      if (hwm) agentPeakKb = Math.max(agentPeakKb, Number(hwm));
    } catch {
      // a child that ended between listing and reading
    }
  }
};
const timer = setInterval(sample, 200);
const m = await localDir(process.argv[2]!).manifest();
sample();
clearInterval(timer);
process.stdout.write(
  JSON.stringify({
    files: m.files,
    entries: Object.keys(m.entries).length,
    nodeMaxRssKb: process.resourceUsage().maxRSS,
    agentPeakKb,
  }),
);
process.exit(0);
