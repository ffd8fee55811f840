// What a target says of its services: healthy or not, and the newest load-writer record found.

export interface HealthResult {
  ok: boolean;
  detail: string;
}

export interface LoadSurvivor {
  /** Wall-clock ms of the newest load-writer record found in the data, or null if none survived. */
  newestWallMs: number | null;
  newestSeq: number | null;
}
