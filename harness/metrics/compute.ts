// All metrics of one run (DESIGN.md names), as pure functions of its journal events.
import type { JournalEvent } from "../model/journal-events.ts";
import { downtimeMs } from "./downtime.ts";
import { round } from "./phases.ts";
import { pointAgeAtTestMs } from "./point-age.ts";
import { recoveryPoint } from "./recovery-point.ts";
import { rpoMs } from "./rpo.ts";
import { rtoMs } from "./rto.ts";
import type { Metrics } from "../model/metrics.ts";

export type { Metrics };

type ToolCall = Extract<JournalEvent, { type: "tool-call" }>;

/** Bytes over the link to the secondary site: received by it during backups, sent by it during restores. */
function siteBytes(events: JournalEvent[]): { siteBytesSent: number | null; siteBytesRestored: number | null } {
  const link = events.filter((e): e is Extract<JournalEvent, { type: "link-bytes" }> => e.type === "link-bytes");
  const sum = (kind: string, f: (e: (typeof link)[number]) => number) => {
    const xs = link.filter((e) => e.kind === kind);
    return xs.length > 0 ? xs.reduce((a, e) => a + f(e), 0) : null;
  };
  return {
    siteBytesSent: sum("backup", (e) => e.toSiteBytes),
    siteBytesRestored: sum("restore", (e) => e.fromSiteBytes),
  };
}

/** The replica's lag behind the primary, sampled every second while it replicated. */
function replicationLag(events: JournalEvent[]): {
  replicationLagMs?: number | null;
  replicationLagMaxMs?: number | null;
} {
  const lags = events
    .filter((e) => e.type === "replication-lag")
    .map((e) => (e as { lagMs: number }).lagMs)
    .sort((a, b) => a - b);
  if (lags.length === 0) return {};
  return { replicationLagMs: lags[Math.floor((lags.length - 1) / 2)]!, replicationLagMaxMs: lags.at(-1)! };
}

export function computeMetrics(events: JournalEvent[]): Metrics {
  const calls = events.filter((e): e is ToolCall => e.type === "tool-call");
  const backups = calls.filter((c) => c.kind === "backup" && c.exitCode === 0);
  // The throughput of a backup is that of a full one; an incremental only when there is no full.
  const backup =
    backups.findLast((c) => (c.backupKind ?? (/full/.test(c.label) ? "full" : "incremental")) === "full") ??
    backups.at(-1);
  const restore = calls.findLast((c) => c.kind === "restore" && c.exitCode === 0 && !c.failover);
  const dataset = events.findLast((e) => e.type === "dataset");
  const manifest = events.find((e) => e.type === "manifest");
  const repo = events.findLast((e) => e.type === "repo-size");
  const sourceBytes =
    manifest?.type === "manifest" ? manifest.bytes : dataset?.type === "dataset" ? dataset.bytes : null;
  const rate = (ms: number | undefined) => (sourceBytes !== null && ms ? Math.round((sourceBytes / ms) * 1000) : null);
  const measured = calls.filter((c) => c.kind !== "other");
  const rss = measured.map((c) => c.peakRssBytes).filter((v): v is number => v !== null);
  const cpu = measured.map((c) => c.cpuMs).filter((v): v is number => v !== null);
  const point = recoveryPoint(events);
  return {
    rtoMs: rtoMs(events),
    rpoMs: rpoMs(events),
    // A drill's point is as old as it was at the disaster; a restore test's, when the test started.
    pointAgeMs: point.ageAtDisasterMs ?? pointAgeAtTestMs(events),
    writesLost: point.writesLost,
    downtimeMs: events.some((e) => e.type === "run-start") ? downtimeMs(events) : null,
    backupMs: backup ? round(backup.durationMs) : null,
    restoreMs: restore ? round(restore.durationMs) : null,
    sourceBytes,
    repoBytes: repo?.type === "repo-size" ? repo.bytes : null,
    backupThroughputBps: rate(backup?.durationMs),
    restoreThroughputBps: rate(restore?.durationMs),
    peakRssBytes: rss.length > 0 ? Math.max(...rss) : null,
    cpuMs: cpu.length > 0 ? cpu.reduce((a, b) => a + b, 0) : null,
    ...siteBytes(events),
    ...replicationLag(events),
  };
}
