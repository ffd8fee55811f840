// The context a drill's steps run in: the started target and tool, the journal, the armed faults,
// the state (steps return changes; they are applied here), and the one wrapper every tool call
// and phase goes through.
import type { ConfinedDir } from "../agent/confined-dir.ts";
import type { ProcessHandle } from "../exec/types.ts";
import type { Journal } from "../journal/journal.ts";
import { InterruptedError } from "../model/errors.ts";
import type { PhaseName, ToolCallKind } from "../model/journal-events.ts";
import type { Progress } from "../model/progress.ts";
import { ArmedFaults } from "../steps/armed-faults.ts";
import { STEPS } from "../steps/registry.ts";
import { applyChanges, type DrillState, type StateChanges } from "../steps/state.ts";
import type { DrillPlanView, StepContext, StepResult, ToolCallOptions } from "../steps/step.ts";
import type { StartedSite } from "../site/site.ts";
import type { Standby, StartedTarget } from "../targets/target.ts";
import type { ToolRun, ToolSession } from "../tools/tool.ts";
import { setTimeout as sleep } from "node:timers/promises";
import { runPhase } from "./phase.ts";
import type { ToolCallLog } from "./tool-call-log.ts";

const BYTES_EVERY_MS = 1000;

export interface DrillServices {
  plan: DrillPlanView;
  target: StartedTarget;
  site: StartedSite | null;
  /** The standby node at site B a replicator fails over to, when it has one. */
  standby: Standby | null;
  /** Opened after the context exists (the tool's passphrase reads the context's state). */
  session: ToolSession | null;
  journal: Journal;
  calls: ToolCallLog;
  progress: Progress;
  signal: AbortSignal;
}

export class DrillContext implements StepContext {
  readonly armed = new ArmedFaults();
  #state: DrillState;
  #current: ToolCallKind = "other";
  #watchers: ((g: ProcessHandle) => void)[] = [];
  #faults = 0;

  constructor(
    readonly services: DrillServices,
    state: DrillState,
  ) {
    this.#state = state;
  }

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
  get repo(): ConfinedDir {
    return this.services.site?.repo ?? this.services.target.repo;
  }
  get journal(): Journal {
    return this.services.journal;
  }
  get state(): DrillState {
    return this.#state;
  }
  /** The kind of tool call running now: decides the passphrase and which armed faults watch it. */
  get currentKind(): ToolCallKind {
    return this.#current;
  }

  apply(changes: StateChanges): void {
    this.#state = applyChanges(this.#state, changes);
  }

  checkAbort(): void {
    const s = this.services.signal;
    if (s.aborted) throw new InterruptedError(String(s.reason ?? "SIGINT"));
  }

  phase<T>(name: PhaseName, fn: () => Promise<T>, detail?: string): Promise<T> {
    return runPhase(this.services, name, fn, detail);
  }

  /** Called by the target's executor for every command it starts: the tool call running now sees it. */
  onSpawn(group: ProcessHandle): void {
    for (const w of this.#watchers) w(group);
    if (this.#current === "backup" || this.#current === "restore") this.armed.onToolStart(this.#current, group);
  }

  async toolCall(
    kind: ToolCallKind,
    fn: (s: ToolSession) => Promise<ToolRun>,
    opts: ToolCallOptions = {},
  ): Promise<ToolRun> {
    this.#current = kind;
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
    this.#watchers.push(watch);
    // Bytes over the link to the site while a backup or restore runs (the site's interface counters).
    const site = kind === "backup" || kind === "restore" ? this.services.site : null;
    const before = site ? await site.linkBytes().catch(() => null) : null;
    const network = this.armed.lasting.map((l) => l.name);
    const began = performance.now();
    try {
      const run = await fn(this.services.session!);
      const callMs = performance.now() - began;
      const shown: ToolRun = opts.label ? { ...run, label: `${run.label}-${opts.label}` } : { ...run };
      // A network fault that healed during the call still counts: it was in force when the call began.
      const during = [...new Set([...network, ...this.armed.lasting.map((l) => l.name)])];
      this.services.calls.record(kind, shown, opts.backupKind, during, callMs, opts.failover);
      if (during.length > 0) shown.duringNetworkFault = during;
      const after = before ? await site!.linkBytes().catch(() => null) : null;
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
      this.#watchers = this.#watchers.filter((w) => w !== watch);
      this.#current = "other";
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
    const def = STEPS[kind];
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
