// The five outcomes a drill can end in (DESIGN.md), shared by scenarios, faults, runner and reports.
export const OUTCOMES = ["recovered", "detected", "silent-corruption", "failed", "error"] as const;
export type Outcome = (typeof OUTCOMES)[number];
