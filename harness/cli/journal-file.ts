// Reads a run folder's journal.jsonl back into events (a torn or foreign line is skipped).
import { readFile } from "node:fs/promises";
import type { JournalEvent } from "../model/journal-events.ts";

export async function readJournal(path: string): Promise<JournalEvent[]> {
  const text = await readFile(path, "utf8").catch(() => "");
  const events: JournalEvent[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      const e = JSON.parse(line) as JournalEvent;
      if (e && typeof e === "object" && typeof e.type === "string") events.push(e);
    } catch {
      // A line cut short by a crash: the rest of the journal still counts.
    }
  }
  return events;
}
