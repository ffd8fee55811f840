import { describe, expect, it } from "vitest";
import { localDir } from "../../harness/agent/local-dir.ts";
import { manifestDigest } from "../../harness/verify/manifest-ops.ts";
const buildManifest = (dir: string) => localDir(dir).manifest();
import { generateDataset } from "../../harness/targets/local/generator.ts";
import { tmp } from "../helpers/tmp.ts";

describe("dataset generator", () => {
  it("same seed and size give identical trees; another seed does not", async () => {
    const [a, b, c] = [await tmp(), await tmp(), await tmp()];
    const ra = await generateDataset(`${a}/common`, 8_000_000, 7);
    await generateDataset(`${b}/common`, 8_000_000, 7);
    await generateDataset(`${c}/common`, 8_000_000, 8);
    const [ma, mb, mc] = await Promise.all([
      buildManifest(`${a}/common`),
      buildManifest(`${b}/common`),
      buildManifest(`${c}/common`),
    ]);
    expect(manifestDigest(ma)).toBe(manifestDigest(mb));
    expect(manifestDigest(ma)).not.toBe(manifestDigest(mc));
    expect(JSON.stringify(ma.entries)).toBe(JSON.stringify(mb.entries));
    expect(ra.bytes).toBe(8_000_000);
    expect(ma.bytes).toBe(8_000_000);
  });

  it("is shaped like MicroStack's $SNAP_COMMON, with the awkward cases a backup must handle", async () => {
    const d = `${await tmp()}/common`;
    await generateDataset(d, 4_000_000, 1);
    const m = await buildManifest(d);
    const paths = Object.keys(m.entries);
    for (const p of [
      "etc/keystone/keystone.conf",
      "fernet-keys/0",
      "lib/mysql/ibdata1",
      "lib/rabbitmq/.erlang.cookie",
      "images",
      "lock",
    ])
      expect(paths).toContain(p);
    expect(paths.some((p) => p.startsWith("lib/images/"))).toBe(true);
    expect(paths.some((p) => p.includes(" "))).toBe(true);
    expect(paths.some((p) => /[^\x00-\x7f]/.test(p))).toBe(true);
    const types = new Set(Object.values(m.entries).map((e) => e.type));
    expect([...types].sort()).toEqual(["dir", "fifo", "file", "symlink"]);
    expect(new Set(Object.values(m.entries).map((e) => e.mode)).size).toBeGreaterThan(4);
    expect(m.entries["fernet-keys/0"]!.mode).toBe(0o600);
    expect(Object.values(m.entries).some((e) => e.hardlinkOf)).toBe(true);
  });
});
