// Which backups a restore tries, in order, and what the tool is told for each: latest (the newest),
// one named point (at a time, or backup:N), newest-restorable (the newest, then each older one while
// the tool reports damage), or a seeded random choice among the run's backups.
import { randomInt } from "node:crypto";
import { createRng, pick } from "../util/prng.ts";
import { parseDuration } from "../util/units.ts";
import type { BackupPoint } from "./state.ts";

export type RestoreSpec =
  | "latest"
  | "newest-restorable"
  | "random"
  | { at: string }
  | { random: { seed?: number | undefined; within?: string | undefined } };

export interface RestorePlan {
  /** What the scenario asked for, in its words: latest, newest-restorable, random, backup:N, or the time. */
  asked: string;
  /** The points to try, in order (more than one only when falling back); empty when none qualifies. */
  points: BackupPoint[];
  /** Try the next point when the tool reports damage. */
  fallback: boolean;
  /** For random: the seed and the backups chosen among. */
  random?: { seed: number; among: number[] };
  /** Why no point qualifies, when none does. */
  none?: string;
  /** A time the scenario named, handed to the tool as it is. */
  givenTime?: string;
}

/** The newest backup taken at or before `time` (ms). */
function atOrBefore(backups: readonly BackupPoint[], time: number): BackupPoint | undefined {
  return backups.filter((b) => b.wallMs <= time).at(-1);
}

export function planRestore(spec: RestoreSpec, backups: readonly BackupPoint[], nowMs = Date.now()): RestorePlan {
  const none = backups.length === 0 ? "no backup was taken before this restore" : undefined;
  if (spec === "latest")
    return { asked: "latest", points: backups.slice(-1), fallback: false, ...(none ? { none } : {}) };
  if (spec === "newest-restorable")
    return { asked: "newest-restorable", points: [...backups].reverse(), fallback: true, ...(none ? { none } : {}) };
  if (typeof spec === "object" && "at" in spec) {
    const at = spec.at.trim();
    const nth = /^backup:(\d+)$/.exec(at);
    if (nth) {
      const b = backups[Number(nth[1]) - 1];
      return {
        asked: at,
        points: b ? [b] : [],
        fallback: false,
        ...(b ? {} : { none: `${at} was not taken (${backups.length} backup(s) in this run)` }),
      };
    }
    const b = atOrBefore(backups, Date.parse(at));
    return {
      asked: at,
      points: b ? [b] : [],
      fallback: false,
      givenTime: at,
      ...(b ? {} : { none: `no backup was taken at or before ${at}` }),
    };
  }
  const opts = spec === "random" ? {} : spec.random;
  const seed = opts.seed ?? randomInt(1, 2 ** 31 - 1);
  const withinMs = opts.within ? parseDuration(opts.within)! : Infinity;
  const among = backups.filter((b) => nowMs - b.wallMs <= withinMs);
  const asked = `random${opts.within ? ` within ${opts.within}` : ""}`;
  const random = { seed, among: among.map((b) => b.number) };
  if (among.length === 0)
    return {
      asked,
      points: [],
      fallback: false,
      random,
      none: none ?? `no backup was taken within ${opts.within} before the restore`,
    };
  return { asked, points: [pick(createRng(`restore-random:${seed}`), among)], fallback: false, random };
}

/**
 * What the tool is told to restore for a point: nothing for the newest (its latest), the time the
 * scenario named, else the time the point's backup ended (the newest the tool holds at that time
 * is that backup: the next one started later).
 */
export function toolPointFor(
  plan: RestorePlan,
  point: BackupPoint,
  backups: readonly BackupPoint[],
): string | undefined {
  if (plan.givenTime) return plan.givenTime;
  if (point === backups.at(-1)) return undefined;
  return new Date(point.endWallMs).toISOString();
}
