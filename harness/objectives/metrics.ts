// The metrics an objective can name, the results.json field each maps to, and its kind of unit.
export type MetricKind = "duration" | "rate" | "size";

export const OBJECTIVE_METRICS = {
  rto: { field: "rtoMs", kind: "duration" },
  rpo: { field: "rpoMs", kind: "duration" },
  downtime: { field: "downtimeMs", kind: "duration" },
  backupTime: { field: "backupMs", kind: "duration" },
  restoreTime: { field: "restoreMs", kind: "duration" },
  backupThroughput: { field: "backupThroughputBps", kind: "rate" },
  restoreThroughput: { field: "restoreThroughputBps", kind: "rate" },
  repoSize: { field: "repoBytes", kind: "size" },
  peakRss: { field: "peakRssBytes", kind: "size" },
  cpu: { field: "cpuMs", kind: "duration" },
} as const satisfies Record<string, { field: string; kind: MetricKind }>;

export type ObjectiveMetric = keyof typeof OBJECTIVE_METRICS;
export const OBJECTIVE_METRIC_NAMES = Object.keys(OBJECTIVE_METRICS) as ObjectiveMetric[];
