// Phases of one run from its journal: name, start and end (ms since the run started).
import type { JournalEvent, PhaseName } from "../model/journal-events.ts";

export interface Phase {
  name: PhaseName;
  startMs: number;
  endMs: number;
  ok: boolean;
  detail?: string;
}

export function runStart(events: JournalEvent[]): number {
  return events.find((e) => e.type === "run-start")?.t ?? events[0]?.t ?? 0;
}

export function phases(events: JournalEvent[]): Phase[] {
  const t0 = runStart(events);
  const open: { name: PhaseName; t: number; detail?: string }[] = [];
  const out: Phase[] = [];
  for (const e of events) {
    if (e.type === "phase-start") open.push({ name: e.phase, t: e.t, ...(e.detail ? { detail: e.detail } : {}) });
    if (e.type === "phase-end") {
      const i = open.map((o) => o.name).lastIndexOf(e.phase);
      if (i < 0) continue;
      const [s] = open.splice(i, 1);
      out.push({
        name: e.phase,
        startMs: round(s!.t - t0),
        endMs: round(e.t - t0),
        ok: e.ok,
        ...(s!.detail ? { detail: s!.detail } : {}),
      });
    }
  }
  return out.sort((a, b) => a.startMs - b.startMs);
}

/** Total time spent in the given phases within [from, to] (journal clock). */
export function timeIn(events: JournalEvent[], names: readonly PhaseName[], from: number, to: number): number {
  const t0 = runStart(events);
  let sum = 0;
  for (const p of phases(events)) {
    if (!names.includes(p.name)) continue;
    const s = Math.max(p.startMs + t0, from);
    const e = Math.min(p.endMs + t0, to);
    if (e > s) sum += e - s;
  }
  return sum;
}

export function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
