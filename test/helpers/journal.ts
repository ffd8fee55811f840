// Builds journals by hand for metric tests: events at given times (ms), wall clock = t0 + t.
import type { JournalEvent } from "../../harness/model/journal-events.ts";

const T0 = Date.parse("2026-01-01T00:00:00Z");

type Spec = { at: number } & Record<string, unknown> & { type: JournalEvent["type"] };

export function journal(...specs: Spec[]): JournalEvent[] {
  return specs.map(
    ({ at, ...rest }) => ({ t: at, wall: new Date(T0 + at).toISOString(), run: 0, ...rest }) as unknown as JournalEvent,
  );
}

export const wallMs = (at: number) => T0 + at;

export function toolCall(
  at: number,
  kind: string,
  label: string,
  durationMs: number,
  extra: Record<string, unknown> = {},
): Spec {
  return {
    at: at + durationMs,
    type: "tool-call",
    kind,
    label,
    command: label,
    exitCode: 0,
    signal: null,
    timedOut: false,
    startT: at,
    endT: at + durationMs,
    durationMs,
    peakRssBytes: null,
    cpuMs: null,
    stdoutPath: "",
    stderrPath: "",
    ...extra,
  };
}
