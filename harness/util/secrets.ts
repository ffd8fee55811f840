// Secrets of a run: resolved from the environment (or made up), and redacted from everything written.
import { randomBytes } from "node:crypto";

export const REDACTED = "[REDACTED]";
/** Shorter text cannot be told apart from other text: it is not treated as a secret. */
const MIN_LENGTH = 4;

/**
 * Every way a secret can show up in text: as it is; with CRLF for its newlines; each of its lines on
 * its own (a tool may print one line of it); and each of those as a JSON string holds it (escaped).
 */
export function secretForms(value: string): string[] {
  const lines = value.split(/\r?\n/);
  const plain = [value, ...(value.includes("\n") ? [value.replace(/\r?\n/g, "\r\n"), ...lines] : [])];
  const forms = plain.flatMap((v) => [v, JSON.stringify(v).slice(1, -1)]);
  return [...new Set(forms)].filter((f) => f.length >= MIN_LENGTH);
}

export class SecretStore {
  readonly #values = new Set<string>();
  #forms: { text: string[]; bytes: Buffer[] } | null = null;

  /** The value of env var `name`, or a random secret kept in memory for this run. */
  resolve(ref: { env: string } | undefined, env: NodeJS.ProcessEnv = process.env): string {
    const fromEnv = ref ? env[ref.env] : undefined;
    const value = fromEnv && fromEnv.length > 0 ? fromEnv : randomBytes(24).toString("base64url");
    this.add(value);
    return value;
  }

  add(value: string): void {
    if (value.length < MIN_LENGTH || this.#values.has(value)) return;
    this.#values.add(value);
    this.#forms = null;
  }

  #all(): { text: string[]; bytes: Buffer[] } {
    if (!this.#forms) {
      const text = [...new Set([...this.#values].flatMap(secretForms))].sort((a, b) => b.length - a.length);
      this.#forms = { text, bytes: text.map((t) => Buffer.from(t)) };
    }
    return this.#forms;
  }

  /** The byte forms of every secret, longest first (for redacting a stream before it is decoded). */
  patterns(): readonly Buffer[] {
    return this.#all().bytes;
  }

  redact(text: string): string {
    let out = text;
    for (const v of this.#all().text) if (out.includes(v)) out = out.split(v).join(REDACTED);
    return out;
  }
}
