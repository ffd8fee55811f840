// The recovery point of a run as results.json holds it (`recoveryPoint`): which backup came back,
// how old it was when the disaster struck, the writes lost, the share of files restored
// byte-identical, and every point a restore tried on the way (newest-restorable falls back).

/** What happened to one point a restore tried. */
export type AttemptVerdict =
  /** The tree came back and matches the point's manifest: put in place. */
  | "restored"
  /** The tool (or a fault's watch) reported damage: an operator would try the point before. */
  | "damaged"
  /** The tool reported success, but the tree differs from the manifest and nothing said so. */
  | "differs"
  /** The call could not run, hung silently, or no backup qualified: the drill fails here. */
  | "failed";

export interface RestoreAttempt {
  /** 1 for the first point a restore step tried. */
  attempt: number;
  /** The backup tried: its number in the run (1 = the first backup); null when none qualified. */
  backup: number | null;
  /** The tool's own id for it (a snapshot id, an archive or file name), when it said one. */
  toolId: string | null;
  /** When that backup was taken (its start), ISO 8601. */
  takenAt: string | null;
  verdict: AttemptVerdict;
  /** The tool's words (or the harness's), when the attempt did not restore. */
  said: string | null;
  /** Its tree was put in place of the data. */
  placed: boolean;
}

export interface RecoveryPoint {
  /**
   * What the scenario asked for: latest, newest-restorable, random, backup:N, or an ISO time; null when no restore
   * ran.
   */
  asked: string | null;
  /** The backup whose tree was put in place; null when nothing was. */
  backup: { number: number; of: number; kind: "full" | "incremental"; toolId: string | null; takenAt: string } | null;
  /**
   * For `restore: random`: the seed (give it as `random: { seed }` to repeat the choice) and the backups chosen
   * among.
   */
  random?: { seed: number; among: number[] };
  /** When the disaster (the last fault before the restore) struck, ISO 8601. */
  disasterAt: string | null;
  /** From the restored backup's start to the disaster. */
  ageAtDisasterMs: number | null;
  /**
   * Load-writer records written before the disaster and not in the restored data (counted: newest seq at the
   * disaster - surviving seq).
   */
  writesLost: number | null;
  /** Why writesLost is null, when it is. */
  writesLostUnknown?: string;
  /** The newest load-writer record as the disaster struck, and the newest that survived the restore. */
  newestWriteAtDisaster: { seq: number; wallMs: number } | null;
  newestWriteSurviving: { seq: number; wallMs: number } | null;
  /** Files of the restored backup's manifest that came back byte-identical. */
  filesChecked: number | null;
  filesIdentical: number | null;
  /** filesIdentical / filesChecked (1 when there were no files). */
  identicalShare: number | null;
  /** Every point the restore tried, in order. */
  attempts: RestoreAttempt[];
  /**
   * When newer points failed before this one restored: which, and how much older the point used is than the newest
   * tried (the RPO the fallback cost).
   */
  fallback: { failedPoints: number[]; extraRpoMs: number } | null;
}
