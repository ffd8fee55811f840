// Writes a command's output stream to a log file (redacted) and keeps its tail for parsing. Secrets are
// taken out of the bytes as they come, before they are decoded (see util/stream-redactor.ts).
import { createWriteStream, type WriteStream } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { StreamRedactor } from "../util/stream-redactor.ts";

const TAIL_BYTES = 64 * 1024;

/** Where the secrets to take out come from: their byte forms, longest first. */
export interface SecretPatterns {
  patterns(): readonly Buffer[];
}

export class LogSink {
  readonly #file: WriteStream | null;
  readonly #redactor: StreamRedactor;
  readonly #decoder = new StringDecoder("utf8");
  #pending = "";
  #tail = "";

  /** `path` null: keep the tail only, write no file. */
  constructor(path: string | null, secrets: SecretPatterns) {
    this.#file = path === null ? null : createWriteStream(path, { flags: "a" });
    this.#redactor = new StreamRedactor(() => secrets.patterns());
  }

  /** Accepts raw output; whole lines are written (redacted) and returned, a partial line waits. */
  write(chunk: Buffer | string): string {
    const bytes = this.#redactor.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
    const buf = this.#pending + this.#decoder.write(bytes);
    const cut = Math.max(buf.lastIndexOf("\n"), buf.lastIndexOf("\r"));
    if (cut < 0) {
      this.#pending = buf;
      return "";
    }
    this.#pending = buf.slice(cut + 1);
    return this.#emit(buf.slice(0, cut + 1));
  }

  #emit(clean: string): string {
    this.#file?.write(clean);
    this.#tail = (this.#tail + clean).slice(-TAIL_BYTES);
    return clean;
  }

  async close(): Promise<string> {
    const rest = this.#pending + this.#decoder.write(this.#redactor.end()) + this.#decoder.end();
    if (rest) this.#emit(rest);
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
      const clean = sinks[stream].write(d);
      if (clean) onOutput?.(stream, clean);
    });
  }
}
