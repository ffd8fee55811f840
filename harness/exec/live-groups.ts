// Every process group drdrill has started and not yet seen exit, so Ctrl-C can kill them all.

const live = new Set<number>();

export function trackGroup(pgid: number): void {
  live.add(pgid);
}

export function untrackGroup(pgid: number): void {
  live.delete(pgid);
}

export function killGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Kills every live group (SIGTERM, then SIGKILL after `graceMs`). */
export async function killAllGroups(graceMs = 2000): Promise<number> {
  const groups = [...live];
  for (const g of groups) killGroup(g, "SIGTERM");
  if (groups.length > 0) await new Promise((r) => setTimeout(r, graceMs));
  for (const g of groups) killGroup(g, "SIGKILL");
  live.clear();
  return groups.length;
}
