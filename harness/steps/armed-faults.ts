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

  /** After a failover: the services as they run at site B (health is checked there from then on). */
  promoted: { health(): Promise<{ ok: boolean; detail: string }> } | null = null;

  /** Work in the background (sampling a replica's lag): stopped when asked, or at the end. */
  readonly background = new Map<string, () => Promise<void>>();

  async stopBackground(name?: string): Promise<void> {
    for (const [k, stop] of [...this.background]) {
      if (name && k !== name) continue;
      this.background.delete(k);
      await stop().catch(() => {});
    }
  }

  /** Network rules (and the like) that last until healed or the end of the run. */
  readonly lasting: { name: string; remove(): Promise<void> }[] = [];

  addLasting(name: string, l: { remove(): Promise<void>; forMs?: number }): void {
    const entry = { name, remove: l.remove };
    this.lasting.push(entry);
    if (l.forMs !== undefined) {
      // A fault for a while: it heals by itself, whatever the drill is doing then.
      const t = setTimeout(() => {
        const i = this.lasting.indexOf(entry);
        if (i >= 0) this.lasting.splice(i, 1);
        void entry.remove().catch(() => {});
      }, l.forMs);
      t.unref();
    }
  }

  /** Whether a network fault is in force now (backups failing then are the outage's). */
  networkDown(): boolean {
    return this.lasting.length > 0;
  }

  /** Takes every lasting fault away; returns their names. */
  async heal(): Promise<string[]> {
    const names: string[] = [];
    for (const l of this.lasting.splice(0)) {
      await l.remove().catch(() => {});
      names.push(l.name);
    }
    return names;
  }

  /** The armed faults' steps before the call they act on (an operator's rollback before a restore). */
  async beforeCall(on: "backup" | "restore"): Promise<Record<string, Record<string, unknown>>> {
    const out: Record<string, Record<string, unknown>> = {};
    for (const a of this.pending(on)) if (a.fault.beforeCall) out[a.name] = await a.fault.beforeCall();
    return out;
  }

  async disposeAll(): Promise<void> {
    await this.stopBackground();
    await this.heal();
    for (const a of this.all) await a.fault.dispose?.().catch(() => {});
  }
}
