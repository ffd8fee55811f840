// Redacts secrets from a byte stream as it arrives, before it is decoded: a secret split across two
// reads (inside a multibyte character, or at a newline it holds) is still caught, because the bytes
// that could begin a secret wait for the next read (at most the longest secret's length less one).
import { REDACTED } from "./secrets.ts";

const MASK = Buffer.from(REDACTED);

/** The earliest secret at or after `from` (the longest when several start there). */
function firstMatch(buf: Buffer, from: number, patterns: readonly Buffer[]): { start: number; end: number } | null {
  let best: { start: number; end: number } | null = null;
  for (const p of patterns) {
    const at = buf.indexOf(p, from);
    if (at < 0) continue;
    if (!best || at < best.start || (at === best.start && at + p.length > best.end))
      best = { start: at, end: at + p.length };
  }
  return best;
}

/** Where the held tail begins: the first position whose bytes to the end could begin a secret. */
function heldFrom(buf: Buffer, from: number, patterns: readonly Buffer[]): number {
  const longest = patterns.reduce((n, p) => Math.max(n, p.length), 0);
  for (let q = Math.max(from, buf.length - longest + 1); q < buf.length; q++) {
    const rest = buf.length - q;
    if (patterns.some((p) => p.length > rest && buf.compare(p, 0, rest, q, buf.length) === 0)) return q;
  }
  return buf.length;
}

export class StreamRedactor {
  #held: Buffer = Buffer.alloc(0);

  /** `patterns`: the secrets' byte forms, asked anew at every read (secrets may be added mid-stream). */
  constructor(private readonly patterns: () => readonly Buffer[]) {}

  /** Takes the next bytes; returns those that can be let through now, redacted. */
  push(chunk: Buffer): Buffer {
    return this.#run(this.#held.length > 0 ? Buffer.concat([this.#held, chunk]) : chunk, false);
  }

  /** At the end of the stream: what was held, redacted. */
  end(): Buffer {
    return this.#run(this.#held, true);
  }

  #run(buf: Buffer, final: boolean): Buffer {
    const patterns = this.patterns();
    const out: Buffer[] = [];
    let i = 0;
    for (;;) {
      const hold = final ? buf.length : heldFrom(buf, i, patterns);
      const m = firstMatch(buf, i, patterns);
      if (m && m.start < hold) {
        out.push(buf.subarray(i, m.start), MASK);
        i = m.end;
        continue;
      }
      out.push(buf.subarray(i, hold));
      this.#held = Buffer.from(buf.subarray(hold));
      return Buffer.concat(out);
    }
  }
}
