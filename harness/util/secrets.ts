// Secrets of a run: resolved from the environment (or made up), and redacted from everything written.
import { randomBytes } from "node:crypto";

export const REDACTED = "[REDACTED]";

export class SecretStore {
  readonly #values = new Set<string>();

  /** The value of env var `name`, or a random secret kept in memory for this run. */
  resolve(ref: { env: string } | undefined, env: NodeJS.ProcessEnv = process.env): string {
    const fromEnv = ref ? env[ref.env] : undefined;
    const value = fromEnv && fromEnv.length > 0 ? fromEnv : randomBytes(24).toString("base64url");
    this.add(value);
    return value;
  }

  add(value: string): void {
    if (value.length >= 4) this.#values.add(value);
  }

  redact(text: string): string {
    let out = text;
    for (const v of this.#values) if (out.includes(v)) out = out.split(v).join(REDACTED);
    return out;
  }
}
