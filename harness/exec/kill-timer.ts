// A command's timeout: SIGTERM a grace period before the bound (3 s, a quarter of a short timeout at
// most), SIGKILL at the bound, so no call outlives its timeout, not even one that ignores SIGTERM.
export const KILL_GRACE_MS = 3000;
/** After the SIGKILL, how long the client (ssh, docker exec) gets to end with its command. */
const LAST_RESORT_MS = 2000;

export interface KillTimer {
  /** Whether the timeout fired (the command was signalled). */
  readonly fired: boolean;
  clear(): void;
}

/** When the SIGTERM and the SIGKILL go, for a timeout of `timeoutMs`. */
export function killSchedule(timeoutMs: number): { termAtMs: number; killAtMs: number } {
  return { termAtMs: timeoutMs - Math.min(KILL_GRACE_MS, Math.floor(timeoutMs / 4)), killAtMs: timeoutMs };
}

/**
 * Signals the command on the schedule above; `lastResort` runs a little after the SIGKILL (to end a
 * client that did not end with its command).
 */
export function startKillTimer(
  timeoutMs: number,
  signal: (sig: "SIGTERM" | "SIGKILL") => void,
  lastResort?: () => void,
): KillTimer {
  const { termAtMs, killAtMs } = killSchedule(timeoutMs);
  let fired = false;
  const timers = [
    setTimeout(() => {
      fired = true;
      signal("SIGTERM");
    }, termAtMs),
    setTimeout(() => {
      fired = true;
      signal("SIGKILL");
    }, killAtMs),
    ...(lastResort ? [setTimeout(lastResort, killAtMs + LAST_RESORT_MS)] : []),
  ];
  return {
    get fired() {
      return fired;
    },
    clear() {
      for (const t of timers) clearTimeout(t);
    },
  };
}
