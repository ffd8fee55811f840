// Faults waiting for the next backup or restore: they see the tool start, judge what it did,
// may excuse a failure they caused, and are always disposed of at the end.
import type { ConfinedDir } from "../agent/confined-dir.ts";
import type { ArmedFault, Judgement, SmallFilesystem } from "../faults/fault.ts";
import type { ProcessHandle } from "../exec/types.ts";
import type { ToolRun } from "../tools/tool.ts";

export interface ArmedEntry {
  name: string;
  fault: ArmedFault;
  done: boolean;
}

export interface FinishOutcome {
  effects: Record<string, Record<string, unknown>>;
  consumedFailure: boolean;
  detectedBy?: string;
  retry: boolean;
}

export class ArmedFaults {
  readonly all: ArmedEntry[] = [];

  add(name: string, fault: ArmedFault): void {
    this.all.push({ name, fault, done: false });
  }

  pending(on: "backup" | "restore"): ArmedEntry[] {
    return this.all.filter((a) => !a.done && a.fault.on === on);
  }

  onToolStart(on: "backup" | "restore", group: ProcessHandle): void {
    for (const a of this.pending(on)) a.fault.onToolStart?.(group);
  }

  /** The small file system an armed fault wants the next restore on, if any. */
  stagingOn(): SmallFilesystem | undefined {
    return this.pending("restore").find((a) => a.fault.stagingOn)?.fault.stagingOn;
  }

  async finish(on: "backup" | "restore", run: ToolRun): Promise<FinishOutcome> {
    const out: FinishOutcome = { effects: {}, consumedFailure: false, retry: false };
    for (const a of this.pending(on)) {
      a.done = true;
      const r = await a.fault.finish(run);
      out.effects[a.name] = r.effects;
      out.consumedFailure ||= Boolean(r.consumedFailure);
      out.retry ||= Boolean(r.retry);
      if (r.detectedBy) out.detectedBy ??= `${a.name}: ${r.detectedBy}`;
    }
    return out;
  }

  volatile(): string[] {
    return this.all.flatMap((a) => a.fault.volatile ?? []);
  }

  async judge(restored: { dir: ConfinedDir; under: string }): Promise<{ name: string; judgement: Judgement }[]> {
    const out: { name: string; judgement: Judgement }[] = [];
    for (const a of this.all) if (a.fault.judge) out.push({ name: a.name, judgement: await a.fault.judge(restored) });
    return out;
  }

  async disposeAll(): Promise<void> {
    for (const a of this.all) await a.fault.dispose?.().catch(() => {});
  }
}
