// One named phase of a drill: a start and an end in the journal (with whether it worked), shown to
// the person watching; refused at once after Ctrl-C.
import type { Journal } from "../journal/journal.ts";
import { InterruptedError } from "../model/errors.ts";
import type { PhaseName } from "../model/journal-events.ts";
import type { Progress } from "../model/progress.ts";

export async function runPhase<T>(
  io: { journal: Journal; progress: Progress; signal: AbortSignal },
  name: PhaseName,
  fn: () => Promise<T>,
  detail?: string,
): Promise<T> {
  if (io.signal.aborted) throw new InterruptedError(String(io.signal.reason ?? "SIGINT"));
  const start = io.journal.now();
  io.journal.emit("phase-start", { phase: name, ...(detail ? { detail } : {}) });
  io.progress.phase(name, detail);
  let ok = false;
  try {
    const out = await fn();
    ok = true;
    return out;
  } finally {
    io.journal.emit("phase-end", { phase: name, ok });
    io.progress.phaseEnd(name, ok, io.journal.now() - start, detail);
  }
}
