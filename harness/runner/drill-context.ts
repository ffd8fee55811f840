// The context a drill's steps run in: the started target, site and tool session, the journal, the
// armed faults, the state (steps return changes; they are applied here), and the one wrapper every
// tool call and phase goes through. It is made once everything it holds has started.
import type { ConfinedDir } from "../agent/confined-dir.ts";
import type { CommandExecutor, ProcessHandle } from "../exec/types.ts";
import type { Journal } from "../journal/journal.ts";
import { InterruptedError } from "../model/errors.ts";
import type { PhaseName, ToolCallKind } from "../model/journal-events.ts";
import type { Progress } from "../model/progress.ts";
import type { AbilitySet } from "../rules/ability.ts";
import type { ArmedFaults } from "../steps/armed-faults.ts";
import type { DrillState, StateChanges } from "../steps/state.ts";
import type { DrillPlanView, StepContext, StepDef, StepResult, ToolCallOptions } from "../steps/step.ts";
import type { StartedSite } from "../site/site.ts";
import type { Standby, StartedTarget } from "../targets/target.ts";
import type { ToolRun, ToolSession } from "../tools/tool.ts";
import { setTimeout as sleep } from "node:timers/promises";
import type { DrillCore } from "./drill-core.ts";
import { runPhase } from "./phase.ts";
import type { ToolCallLog } from "./tool-call-log.ts";

const BYTES_EVERY_MS = 1000;

export interface DrillServices {
  plan: DrillPlanView;
  target: StartedTarget;
  site: StartedSite | null;
  /** The standby node at site B a replicator fails over to, when it has one. */
  standby: Standby | null;
  session: ToolSession;
  /** What the target and the site provide this run. */
  abilities: AbilitySet;
  /** This machine: an executor logging to the run's logs, and a folder of the run here. */
  local: { exec: CommandExecutor; dir: string };
  /** The steps a step may run in turn (a schedule's backups). */
  steps: Readonly<Record<string, StepDef<any>>>;
  journal: Journal;
  calls: ToolCallLog;
  progress: Progress;
  signal: AbortSignal;
}

export class DrillContext implements StepContext {
  #faults = 0;

  constructor(
    readonly services: DrillServices,
    readonly core: DrillCore,
  ) {}

  get plan(): DrillPlanView {
    return this.services.plan;
  }
  get target(): StartedTarget {
    return this.services.target;
  }
  get site(): StartedSite | null {
    return this.services.site;
  }
  get standby(): Standby | null {
    return this.services.standby;
  }
  get abilities(): AbilitySet {
    return this.services.abilities;
  }
  get local(): { exec: CommandExecutor; dir: string } {
    return this.services.local;
  }
  get repo(): ConfinedDir {
    return this.services.site?.repo ?? this.services.target.repo;
  }
  get journal(): Journal {
    return this.services.journal;
  }
  get armed(): ArmedFaults {
    return this.core.armed;
  }
  get state(): DrillState {
    return this.core.state;
  }

  apply(changes: StateChanges): void {
    this.core.apply(changes);
  }

  checkAbort(): void {
    const s = this.services.signal;
    if (s.aborted) throw new InterruptedError(String(s.reason ?? "SIGINT"));
  }

  phase<T>(name: PhaseName, fn: () => Promise<T>, detail?: string): Promise<T> {
    return runPhase(this.services, name, fn, detail);
  }

  async toolCall(
    kind: ToolCallKind,
    fn: (s: ToolSession) => Promise<ToolRun>,
    opts: ToolCallOptions = {},
  ): Promise<ToolRun> {
    const progress = this.services.progress;
    let timer: NodeJS.Timeout | undefined;
    const watch = (g: ProcessHandle) => {
      opts.onSpawn?.(g);
      // On a TTY: how many bytes the tool has read so far (cheap: /proc of its processes, no tree walk).
      if (progress.wantsBytes && (kind === "backup" || kind === "restore")) {
        clearInterval(timer);
        timer = setInterval(
          () =>
            void g.readBytes().then(
              (b) => progress.bytes(b),
              () => {},
            ),
          BYTES_EVERY_MS,
        );
      }
    };
    const end = this.core.begin(kind, watch);
    // Bytes over the link to the site while a backup or restore runs (the site's interface counters).
    const site = kind === "backup" || kind === "restore" ? this.services.site : null;
    const before = site ? await site.linkBytes().catch(() => null) : null;
    const network = this.armed.lasting.map((l) => l.name);
    const began = performance.now();
    try {
      const run = await fn(this.services.session);
      const callMs = performance.now() - began;
      const shown: ToolRun = opts.label ? { ...run, label: `${run.label}-${opts.label}` } : { ...run };
      // A network fault that healed during the call still counts: it was in force when the call began.
      const during = [...new Set([...network, ...this.armed.lasting.map((l) => l.name)])];
      this.services.calls.record(kind, shown, opts.backupKind, during, callMs, opts.failover);
      if (during.length > 0) shown.duringNetworkFault = during;
      const after = site && before ? await site.linkBytes().catch(() => null) : null;
      if (before && after)
        this.journal.emit("link-bytes", {
          kind,
          label: shown.label,
          toSiteBytes: after.rx - before.rx,
          fromSiteBytes: after.tx - before.tx,
        });
      return shown;
    } finally {
      clearInterval(timer);
      end();
    }
  }

  async sleep(ms: number): Promise<void> {
    try {
      await sleep(ms, undefined, { signal: this.services.signal });
    } catch {
      this.checkAbort();
    }
  }

  async runStep(kind: string, params: unknown): Promise<StepResult> {
    this.checkAbort();
    const def = this.services.steps[kind];
    if (!def) throw new Error(`unknown step "${kind}"`);
    const result = await def.run(params, this);
    this.apply(result.changes);
    return result;
  }

  async faultScratch(name: string): Promise<ConfinedDir> {
    const rel = `fault-${++this.#faults}-${name}`;
    await this.target.scratch.mkdir(rel);
    return this.target.scratch.sub(rel);
  }
}
