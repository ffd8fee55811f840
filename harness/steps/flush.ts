// After a step that wrote much (a backup, a fault, a restore), the write-back of the file systems it
// wrote to is forced to disk inside that step's phase. A tool's work is done when its data is on disk
// (every tool exits before it is: an honest RTO includes a sync), and the next timed call starts on a
// quiet disk: the restore drdrill times is the one a user times by hand, not the tail of the backup
// or of the fault's deletion written out underneath it. The tool calls' own times are unchanged.
import type { ConfinedDir } from "../agent/confined-dir.ts";
import type { StepContext } from "./step.ts";

export async function flushAfter(
  ctx: Pick<StepContext, "journal">,
  after: "backup" | "fault" | "restore",
  dirs: ConfinedDir[],
): Promise<void> {
  for (const d of dirs) ctx.journal.emit("flush", { after, what: d.label, ms: await d.flush() });
}
