// Kinds of file content with realistic compressibility: random (compressed images), zeros
// (sparse-ish disks), log text, config text and low-entropy binary (database pages).
import { createByteStream } from "../../util/prng.ts";

const WORDS = (
  "nova neutron keystone glance cinder placement rabbitmq mysql compute scheduler conductor api " +
  "instance port network subnet router volume image token project user domain INFO DEBUG WARNING " +
  "ERROR req spawn build delete attach detach migrate resize allocation inventory provider oslo " +
  "messaging amqp connection pool timeout retry success failed host agent state active shutoff " +
  "uuid region endpoint service catalog"
).split(" ");
const WORD_BUFS = WORDS.map((w) => Buffer.from(`${w} `));

export type ContentKind = "random" | "zero" | "text" | "low";

/** Log-like text: timestamped lines of words chosen by the stream. About 3-4x compressible. */
function text(bytes: (n: number) => Buffer, n: number): Buffer {
  const r = bytes(Math.ceil(n / 5) + 64);
  const out = Buffer.allocUnsafe(n + 128);
  let o = 0;
  let i = 0;
  while (o < n) {
    const ts = 1_700_000_000 + (r.readUInt32LE(i % (r.length - 4)) % 30_000_000);
    o += out.write(`${ts}.${(r[(i + 4) % r.length]! * 3907) % 1_000_000} `, o, "latin1");
    const words = 6 + (r[i % r.length]! & 7);
    for (let k = 0; k < words && o < n + 64; k++) {
      const w = WORD_BUFS[r[(i + k) % r.length]! % WORD_BUFS.length]!;
      w.copy(out, o);
      o += w.length;
    }
    out[o++] = 0x0a;
    i += 9;
  }
  return out.subarray(0, n);
}

function low(bytes: (n: number) => Buffer, n: number): Buffer {
  const b = bytes(n);
  for (let i = 0; i < n; i++) b[i] = b[i]! & 0x0f;
  return b;
}

export function chunk(kind: ContentKind, bytes: (n: number) => Buffer, n: number): Buffer {
  switch (kind) {
    case "random":
      return bytes(n);
    case "zero":
      return Buffer.alloc(n);
    case "text":
      return text(bytes, n);
    case "low":
      return low(bytes, n);
  }
}

/** Content for a whole small file. */
export function smallContent(seed: string, kind: ContentKind, n: number): Buffer {
  return chunk(kind, createByteStream(seed), n);
}
