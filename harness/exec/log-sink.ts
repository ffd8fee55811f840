// Writes a command's output stream to a log file (redacted) and keeps its tail for parsing.
import { createWriteStream, type WriteStream } from "node:fs";

const TAIL_BYTES = 64 * 1024;

export class LogSink {
  readonly #file: WriteStream | null;
  readonly #redact: (s: string) => string;
  #pending = "";
  #tail = "";

  /** `path` null: keep the tail only, write no file. */
  constructor(path: string | null, redact: (s: string) => string) {
    this.#file = path === null ? null : createWriteStream(path, { flags: "a" });
    this.#redact = redact;
  }

  /** Accepts raw text; whole lines are redacted and written, a partial line waits. */
  write(text: string): string {
    const buf = this.#pending + text;
    const cut = Math.max(buf.lastIndexOf("\n"), buf.lastIndexOf("\r"));
    if (cut < 0) {
      this.#pending = buf;
      return "";
    }
    this.#pending = buf.slice(cut + 1);
    return this.#emit(buf.slice(0, cut + 1));
  }

  #emit(text: string): string {
    const clean = this.#redact(text);
    this.#file?.write(clean);
    this.#tail = (this.#tail + clean).slice(-TAIL_BYTES);
    return clean;
  }

  async close(): Promise<string> {
    if (this.#pending) this.#emit(this.#pending);
    this.#pending = "";
    const file = this.#file;
    if (file) await new Promise<void>((resolve) => file.end(resolve));
    return this.#tail;
  }
}

type Readable = { on(event: "data", fn: (d: Buffer | string) => void): unknown } | null | undefined;

/** Feeds a child's stdout and stderr into their sinks, passing the redacted text on as it comes. */
export function pipeOutput(
  child: { stdout?: Readable; stderr?: Readable },
  sinks: { stdout: LogSink; stderr: LogSink },
  onOutput?: (stream: "stdout" | "stderr", text: string) => void,
): void {
  for (const stream of ["stdout", "stderr"] as const) {
    child[stream]?.on("data", (d) => {
      const clean = sinks[stream].write(d.toString());
      if (clean) onOutput?.(stream, clean);
    });
  }
}
