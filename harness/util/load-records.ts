// The load writer's records (`{seq, wallMs}` JSON lines, like a database log): read, and whether the
// file is intact (no torn line, no gap in the sequence).

export interface LoadRecord {
  seq: number;
  wallMs: number;
}

/** Parses the writer's file; `intact` is false if any line is torn or out of sequence. */
export function readLoadRecords(text: string): { records: LoadRecord[]; intact: boolean } {
  const records: LoadRecord[] = [];
  let intact = true;
  for (const line of text.split("\n")) {
    if (line === "") continue;
    try {
      const r = JSON.parse(line) as LoadRecord;
      if (typeof r.seq !== "number" || typeof r.wallMs !== "number") throw new Error("bad record");
      if (records.length > 0 && r.seq !== records.at(-1)!.seq + 1) intact = false;
      records.push({ seq: r.seq, wallMs: r.wallMs });
    } catch {
      intact = false;
    }
  }
  return { records, intact };
}
