// Deterministic randomness: a small PRNG for structure and an AES-CTR stream for bulk bytes.
import { createCipheriv, createHash } from "node:crypto";

/** sfc32, seeded from a string; returns floats in [0, 1). */
export function createRng(seed: string): () => number {
  const h = createHash("sha256").update(seed).digest();
  let a = h.readUInt32LE(0),
    b = h.readUInt32LE(4),
    c = h.readUInt32LE(8),
    d = h.readUInt32LE(12);
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/** A deterministic byte stream (AES-128-CTR over zeros) for one named file. */
export function createByteStream(seed: string): (n: number) => Buffer {
  const h = createHash("sha256").update(seed).digest();
  const cipher = createCipheriv("aes-128-ctr", h.subarray(0, 16), h.subarray(16, 32));
  return (n) => cipher.update(Buffer.alloc(n));
}

export function pick<T>(rng: () => number, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

export function intBetween(rng: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}
