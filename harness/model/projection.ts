// The shape of results.json's `projection`: a size sweep's fit and what it projects at a named size.

/** A straight line y = a + b x fitted to points, with how well it fits. */
export interface LinearFit {
  /** y at x = 0 (the fixed cost: start-up, key derivation, a sync). */
  intercept: number;
  /** y per unit of x (ms per byte, bytes per byte). */
  slope: number;
  /** Coefficient of determination (1: every point on the line); null with fewer than 3 points or no spread. */
  r2: number | null;
  /** The largest residual relative to its point's value (0.05: 5 %); the fit's spread as a reader sees it. */
  maxRelResidual: number;
  points: number;
}

/** One scenario and tool + settings, projected to `atBytes` from its size sweep. */
export interface Projection {
  scenario: string;
  tool: string;
  settings: Record<string, unknown>;
  atBytes: number;
  restoreMs: number | null;
  backupMs: number | null;
  repoBytes: number | null;
  /** The model, in words: "linear in bytes: y = a + b * bytes, least squares over N runs at K sizes". */
  model: string;
  /** Each quantity's fit (null where fewer than 2 sizes measured it). */
  fit: { restoreMs: LinearFit | null; backupMs: LinearFit | null; repoBytes: LinearFit | null };
  /** The measured points: the data's bytes and each quantity (null where a run did not measure it). */
  points: { bytes: number; restoreMs: number | null; backupMs: number | null; repoBytes: number | null }[];
}
