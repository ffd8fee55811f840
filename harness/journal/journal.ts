// Appends every event of an invocation to journal.jsonl as it happens (one fsync-free line each).
import { closeSync, openSync, writeSync } from "node:fs";
import { monoMs } from "../util/clock.ts";
import type { SecretStore } from "../util/secrets.ts";
import type { EventData, JournalEvent, JournalEventType } from "../model/journal-events.ts";

export class Journal {
  readonly #fd: number | null;
  readonly #t0 = monoMs();
  readonly #events: JournalEvent[] = [];
  #closed = false;
  run: number | undefined;

  /** `exclusive`: the file must not exist yet (one journal per run folder, never two runs in one). */
  constructor(
    path: string | null,
    private readonly secrets?: SecretStore,
    opts: { exclusive?: boolean } = {},
  ) {
    this.#fd = path ? openSync(path, opts.exclusive ? "wx" : "a") : null;
  }

  /** Milliseconds on the journal's monotonic clock. */
  now(): number {
    return monoMs() - this.#t0;
  }

  /** Converts a monotonic reading (monoMs) into the journal's clock. */
  fromMono(mono: number): number {
    return mono - this.#t0;
  }

  emit<T extends JournalEventType>(type: T, data: EventData<T>): JournalEvent {
    const event = { t: Math.round(this.now() * 1000) / 1000, wall: new Date().toISOString(), ...(this.run !== undefined ? { run: this.run } : {}), type, ...data } as JournalEvent;
    this.#events.push(event);
    if (this.#fd !== null && !this.#closed) {
      const line = JSON.stringify(event);
      writeSync(this.#fd, (this.secrets ? this.secrets.redact(line) : line) + "\n");
    }
    return event;
  }

  events(run?: number): JournalEvent[] {
    return run === undefined ? [...this.#events] : this.#events.filter((e) => e.run === run);
  }

  get closed(): boolean {
    return this.#closed;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#fd !== null) closeSync(this.#fd);
  }
}
