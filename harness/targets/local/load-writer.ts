// The local target's "service": appends timestamped, sequence-numbered records to a journal file in
// the data directory, like a database's log. Run as its own process (util/node-script.ts):
// node load-writer.js FILE MS PARENT_PID
import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";

import { readLoadRecords, type LoadRecord } from "../../util/load-records.ts";

export { readLoadRecords, type LoadRecord };

function main(file: string, intervalMs: number, parentPid: number): void {
  // A copied tree (dataset.copyFrom) may lack the folder; made at start only, never after a disaster.
  mkdirSync(dirname(file), { recursive: true });
  let seq = 0;
  try {
    const { records } = readLoadRecords(readFileSync(file, "utf8"));
    seq = records.at(-1)?.seq ?? 0;
  } catch {
    // no file yet: start at 1
  }
  const write = () => {
    // A service of a drill ends with the drill: if drdrill is gone (killed hard), stop writing.
    if (parentPid && process.ppid !== parentPid) process.exit(0);
    seq++;
    // A failed append (the directory is gone) crashes the service, as a database would.
    appendFileSync(file, `${JSON.stringify({ seq, wallMs: Date.now(), pad: "x".repeat(40) })}\n`);
  };
  write();
  const timer = setInterval(write, intervalMs);
  process.on("SIGTERM", () => {
    clearInterval(timer);
    process.exit(0);
  });
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop()!)) {
  main(process.argv[2]!, Number(process.argv[3] ?? 100), Number(process.argv[4] ?? 0));
}
