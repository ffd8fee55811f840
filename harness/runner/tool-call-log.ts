// Records each tool call in the journal and in the run's result (paths relative to the run folder).
import { relative } from "node:path";
import type { ToolRun } from "../tools/tool.ts";
import type { Journal } from "../journal/journal.ts";
import type { ToolCallKind } from "../model/journal-events.ts";
import type { ToolCallRecord } from "../model/result.ts";

export class ToolCallLog {
  readonly calls: ToolCallRecord[] = [];

  constructor(
    private readonly journal: Journal,
    private readonly outDir: string,
  ) {}

  /** `duringNetworkFault`: the network faults in force while the call ran (what the report judges it under). */
  record(
    kind: ToolCallKind,
    run: ToolRun,
    backupKind?: "full" | "incremental",
    duringNetworkFault?: string[],
    callMs?: number,
    failover?: boolean,
  ): ToolRun {
    const rel = (p: string) => (p ? relative(this.outDir, p) : "");
    const common = {
      kind,
      label: run.label,
      command: run.command,
      exitCode: run.exitCode,
      signal: run.signal,
      timedOut: run.timedOut,
      ...(run.message ? { message: run.message } : {}),
      ...(run.stats ? { stats: run.stats } : {}),
      ...(duringNetworkFault && duringNetworkFault.length > 0
        ? { duringNetworkFault: duringNetworkFault.join(", ") }
        : {}),
    };
    this.journal.emit("tool-call", {
      ...common,
      startT: this.journal.fromMono(run.startMs),
      endT: this.journal.fromMono(run.endMs),
      durationMs: run.durationMs,
      peakRssBytes: run.peakRssBytes,
      cpuMs: run.cpuMs,
      ...(run.readBytes !== undefined ? { readBytes: run.readBytes } : {}),
      stdoutPath: rel(run.stdoutPath),
      stderrPath: rel(run.stderrPath),
      ...(backupKind ? { backupKind } : {}),
      ...(failover ? { failover: true } : {}),
    });
    this.calls.push({
      ...common,
      durationMs: Math.round(run.durationMs),
      ...(callMs !== undefined ? { callMs: Math.round(callMs) } : {}),
      stdoutLog: rel(run.stdoutPath),
      stderrLog: rel(run.stderrPath),
    });
    return run;
  }
}
