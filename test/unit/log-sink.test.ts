// Secrets are taken out of a command's output bytes before they are decoded: split across reads (inside a
// multibyte character, at a newline the secret holds) they are still caught, and nothing else changes.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LocalExecutor } from "../../harness/exec/local-executor.ts";
import { LogSink } from "../../harness/exec/log-sink.ts";
import { SecretStore } from "../../harness/util/secrets.ts";
import { tmp } from "../helpers/tmp.ts";

const MULTIBYTE = "Kq7vZ-ünï-Xw9pL-ß4";
const TWO_LINES = "Mn3bT-first\nRt8yU-second";

function store(...values: string[]): SecretStore {
  const s = new SecretStore();
  for (const v of values) s.add(v);
  return s;
}

/** Feeds `text` to a sink in pieces cut at the given byte offsets; returns what it wrote and kept. */
async function through(secrets: SecretStore, text: string, cuts: number[]): Promise<{ file: string; tail: string }> {
  const path = join(await tmp(), "out.log");
  const sink = new LogSink(path, secrets);
  const bytes = Buffer.from(text);
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    sink.write(bytes.subarray(at, cut));
    at = cut;
  }
  const tail = await sink.close();
  return { file: await readFile(path, "utf8"), tail };
}

describe("output redaction on the byte stream", () => {
  it("a secret split inside a multibyte character is redacted, and no U+FFFD appears", async () => {
    const text = `pass is ${MULTIBYTE}, again ${MULTIBYTE}\n`;
    const inside = Buffer.from(`pass is Kq7vZ-`).length + 1; // between the two bytes of "ü"
    for (const cuts of [[inside], [inside, inside + 3, inside + 8], [1, 2, 3, inside]]) {
      const { file, tail } = await through(store(MULTIBYTE), text, cuts);
      expect(file).toBe("pass is [REDACTED], again [REDACTED]\n");
      expect(tail).toBe(file);
    }
  });

  it("a secret holding a newline is redacted whole when written in two pieces, and either line alone too", async () => {
    const text = `a ${TWO_LINES} b\nfirst line alone: Mn3bT-first\r\n`;
    const cut = Buffer.from(`a Mn3bT-first\n`).length;
    const { file } = await through(store(TWO_LINES), text, [cut]);
    expect(file).toBe("a [REDACTED] b\nfirst line alone: [REDACTED]\r\n");
    expect((await through(store(TWO_LINES), TWO_LINES.replace("\n", "\r\n"), [13])).file).toBe("[REDACTED]");
  });

  it("at every cut point the result is that of the whole text; text without secrets is untouched", async () => {
    const text = `x ${MULTIBYTE} y ${TWO_LINES} ü\nend Kq7vZ-ü without the rest\n`;
    const whole = (await through(store(MULTIBYTE, TWO_LINES), text, [])).file;
    expect(whole).toBe("x [REDACTED] y [REDACTED] ü\nend Kq7vZ-ü without the rest\n");
    for (let cut = 1; cut < Buffer.from(text).length; cut++)
      expect((await through(store(MULTIBYTE, TWO_LINES), text, [cut])).file, `cut at ${cut}`).toBe(whole);
    const plain = "ünïcode ß, lines\nand a partial one";
    for (let cut = 1; cut < Buffer.from(plain).length; cut++)
      expect((await through(store(MULTIBYTE), plain, [cut])).file).toBe(plain);
  });

  it("redacts text the way a JSON file holds it (a newline escaped)", () => {
    expect(store(TWO_LINES).redact(JSON.stringify({ said: `x ${TWO_LINES} y` }))).toBe('{"said":"x [REDACTED] y"}');
  });

  it("a tool that prints the passphrase in two writes: its logs and result hold none of it", async () => {
    const dir = await tmp();
    const exec = new LocalExecutor(dir, new SecretStore());
    for (const secret of [MULTIBYTE, TWO_LINES]) {
      const half = Buffer.from(secret).length >> 1;
      const res = await exec.run({
        label: "split",
        command: "sh",
        // printf %s "$P" | head -c N: the first N bytes, then (after a pause) the rest, on both streams
        args: [
          "-c",
          `for fd in 1 2; do printf %s "$P" | head -c ${half} >&$fd; sleep 0.2; ` +
            `printf %s "$P" | tail -c +${half + 1} >&$fd; echo >&$fd; done`,
        ],
        env: { P: secret },
        secretEnv: ["P"],
      });
      expect(res.exitCode).toBe(0);
      for (const text of [
        res.stdout,
        res.stderr,
        await readFile(res.stdoutPath, "utf8"),
        await readFile(res.stderrPath, "utf8"),
      ]) {
        expect(text).toBe("[REDACTED]\n");
      }
    }
  });
});
