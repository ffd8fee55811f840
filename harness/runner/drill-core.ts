// The drill's state and the tool call running now, made before anything that reads them: the tool
// session (its passphrase depends on the state and on the kind of call) and the target's executor
// (the processes it starts are shown to the call running now and to the armed faults).
import type { ProcessHandle } from "../exec/types.ts";
import type { ToolCallKind } from "../model/journal-events.ts";
import { ArmedFaults } from "../steps/armed-faults.ts";
import { applyChanges, passphraseFor, type DrillState, type StateChanges } from "../steps/state.ts";

export class DrillCore {
  readonly armed = new ArmedFaults();
  #state: DrillState;
  #current: ToolCallKind = "other";
  #watchers: ((g: ProcessHandle) => void)[] = [];

  constructor(state: DrillState) {
    this.#state = state;
  }

  get state(): DrillState {
    return this.#state;
  }

  apply(changes: StateChanges): void {
    this.#state = applyChanges(this.#state, changes);
  }

  /** The kind of tool call running now: decides the passphrase and which armed faults watch it. */
  get currentKind(): ToolCallKind {
    return this.#current;
  }

  /** The passphrase for the call running now (faults may have changed it for backups or restores). */
  passphrase(): string {
    return passphraseFor(this.#state, this.#current);
  }

  /** A tool call of this kind runs until the returned function is called; `watch` sees the processes it starts. */
  begin(kind: ToolCallKind, watch: (g: ProcessHandle) => void): () => void {
    this.#current = kind;
    this.#watchers.push(watch);
    return () => {
      this.#watchers = this.#watchers.filter((w) => w !== watch);
      this.#current = "other";
    };
  }

  /** Called by the target's executor for every command it starts. */
  onSpawn(group: ProcessHandle): void {
    for (const w of this.#watchers) w(group);
    if (this.#current === "backup" || this.#current === "restore") this.armed.onToolStart(this.#current, group);
  }
}
