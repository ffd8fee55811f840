// Appends every event of an invocation to journal.jsonl as it happens (one fsync-free line each).
// Each run writes through its own view (`forRun`), so runs going at once (--jobs) each stamp their
// events with their own run index, into the one file, in the order they happen.
import { closeSync, openSync, writeSync } from "node:fs";
import { monoMs } from "../util/clock.ts";
import type { SecretStore } from "../util/secrets.ts";
import type { EventData, JournalEvent, JournalEventType } from "../model/journal-events.ts";

/** The file and the events, shared by the invocation's journal and every run's view of it. */
interface Sink {
  fd: number | null;
  t0: number;
  events: JournalEvent[];
  closed: boolean;
  secrets: SecretStore | undefined;
}

export class Journal {
  readonly #sink: Sink;
  /** The run this view stamps its events with; undefined for the invocation's own events. */
  readonly run: number | undefined;

  /** `exclusive`: the file must not exist yet (one journal per run folder, never two runs in one). */
  constructor(
    path: string | null,
    secrets?: SecretStore,
    opts: { exclusive?: boolean } = {},
    view?: { sink: Sink; run: number },
  ) {
    this.#sink = view?.sink ?? {
      fd: path ? openSync(path, opts.exclusive ? "wx" : "a") : null,
      t0: monoMs(),
      events: [],
      closed: false,
      secrets,
    };
    this.run = view?.run;
  }

  /** The same journal, every event stamped with this run's index. */
  forRun(run: number): Journal {
    return new Journal(null, undefined, {}, { sink: this.#sink, run });
  }

  /** Milliseconds on the journal's monotonic clock. */
  now(): number {
    return monoMs() - this.#sink.t0;
  }

  /** Converts a monotonic reading (monoMs) into the journal's clock. */
  fromMono(mono: number): number {
    return mono - this.#sink.t0;
  }

  emit<T extends JournalEventType>(type: T, data: EventData<T>): JournalEvent {
    const sink = this.#sink;
    const event = {
      t: Math.round(this.now() * 1000) / 1000,
      wall: new Date().toISOString(),
      ...(this.run !== undefined ? { run: this.run } : {}),
      type,
      ...data,
    } as JournalEvent;
    sink.events.push(event);
    if (sink.fd !== null && !sink.closed) {
      const line = JSON.stringify(event);
      writeSync(sink.fd, (sink.secrets ? sink.secrets.redact(line) : line) + "\n");
    }
    return event;
  }

  events(run?: number): JournalEvent[] {
    return run === undefined ? [...this.#sink.events] : this.#sink.events.filter((e) => e.run === run);
  }

  get closed(): boolean {
    return this.#sink.closed;
  }

  close(): void {
    const sink = this.#sink;
    if (sink.closed) return;
    sink.closed = true;
    if (sink.fd !== null) closeSync(sink.fd);
  }
}
