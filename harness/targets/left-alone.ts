// What a target's own change of a tree left alone (a mount point of the live tree and the restored
// entry it stood in the way of, a hard link leading out, a mount in the run's folder on a host), said
// as a warning of the run: it shows in results.json and at the top of the reports, so a drill never
// ends `recovered` in silence about a folder it would not enter.
import type { AgentRefusal } from "../agent/protocol.ts";
import type { Journal } from "../journal/journal.ts";

const SHOWN = 5;

/** `doing`: what the target was doing, e.g. "putting the restored tree in place in data directory ...". */
export function warnLeftAlone(
  journal: Journal,
  doing: string,
  refused: readonly AgentRefusal[],
  count = refused.length,
): void {
  if (count === 0) return;
  const shown = refused.slice(0, SHOWN).map((x) => `${x.path}: ${x.reason}`);
  const more = count > SHOWN ? `; and ${count - SHOWN} more` : "";
  const entries = count === 1 ? "1 entry was" : `${count} entries were`;
  journal.emit("warning", { text: `${doing}, ${entries} left alone: ${shown.join("; ")}${more}` });
}

/** The words for a swap of a restored tree into `where`. */
export const placing = (where: string) => `putting the restored tree in place in ${where}`;
