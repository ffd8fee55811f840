// The user's own checks of a run (`verify: [{ command }]`), as results.json lists them: from the journal.
import type { JournalEvent } from "../model/journal-events.ts";
import type { UserCheckResult } from "../model/result.ts";

export function userChecks(events: JournalEvent[]): UserCheckResult[] {
  return events.flatMap((e) =>
    e.type === "user-check"
      ? [
          {
            command: e.command,
            on: e.on,
            ok: e.ok,
            exitCode: e.exitCode,
            ms: e.ms,
            ...(e.said ? { said: e.said } : {}),
          },
        ]
      : [],
  );
}
