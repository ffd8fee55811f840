// Colours of the report's charts: one per drill phase, one per throughput series, one per tool.

/** Phases of the drill in their usual order, with the colour the timeline draws them in. */
export const PHASE_COLORS: Record<string, string> = {
  prepare: "#e2e8f0",
  seed: "#cbd5e1",
  quiesce: "#f59e0b",
  manifest: "#f1f5f9",
  backup: "#2563eb",
  resume: "#65a30d",
  load: "#8b5cf6",
  fault: "#dc2626",
  check: "#0891b2",
  restore: "#0d9488",
  inspect: "#f1f5f9",
  replace: "#5eead4",
  run: "#ea580c",
  verify: "#db2777",
  wait: "#cbd5e1",
  cleanup: "#e2e8f0",
};

/** Phases that are the harness's own bookkeeping: drawn faintly, not named in the legend first. */
export const QUIET_PHASES = new Set(["prepare", "seed", "manifest", "inspect", "cleanup", "wait"]);

export function phaseColor(name: string): string {
  return PHASE_COLORS[name] ?? "#94a3b8";
}

export const SERIES_COLORS = { backup: "#2563eb", restore: "#0d9488" } as const;

const TOOL_COLORS = ["#2563eb", "#db2777", "#0d9488", "#f59e0b", "#8b5cf6", "#65a30d", "#dc2626", "#0891b2"];

/** A stable colour for the i-th distinct tool. */
export function toolColor(i: number): string {
  return TOOL_COLORS[i % TOOL_COLORS.length]!;
}
