// Every process group drdrill has started and not yet seen exit, so Ctrl-C can kill them all: local
// groups by pid, and groups elsewhere (on a host over SSH) through a killer their executor registered.

const live = new Set<number>();

/** Signals one remote group (SIGTERM, then SIGKILL); must not throw. */
export type GroupKiller = (signal: NodeJS.Signals) => Promise<unknown>;
const killers = new Set<GroupKiller>();
/** A killer that cannot reach its host (a dead connection) must not hold up an interrupted run. */
const KILLER_TIMEOUT_MS = 5000;

export function trackGroup(pgid: number): void {
  live.add(pgid);
}

export function untrackGroup(pgid: number): void {
  live.delete(pgid);
}

/** Registers a group that is not on this machine; returns the function that forgets it again. */
export function trackKiller(kill: GroupKiller): () => void {
  killers.add(kill);
  return () => void killers.delete(kill);
}

export function killGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

async function callKillers(list: GroupKiller[], signal: NodeJS.Signals): Promise<void> {
  await Promise.all(
    list.map((kill) => {
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise<void>((r) => (timer = setTimeout(r, KILLER_TIMEOUT_MS)));
      return Promise.race([
        Promise.resolve()
          .then(() => kill(signal))
          .catch(() => {}),
        bound,
      ]).finally(() => clearTimeout(timer));
    }),
  );
}

/** Kills every live group, local and remote (SIGTERM, then SIGKILL after `graceMs`); returns how many. */
export async function killAllGroups(graceMs = 2000): Promise<number> {
  const groups = [...live];
  const remote = [...killers];
  for (const g of groups) killGroup(g, "SIGTERM");
  await callKillers(remote, "SIGTERM");
  if (groups.length + remote.length > 0) await new Promise((r) => setTimeout(r, graceMs));
  for (const g of groups) killGroup(g, "SIGKILL");
  await callKillers(remote, "SIGKILL");
  live.clear();
  killers.clear();
  return groups.length + remote.length;
}
