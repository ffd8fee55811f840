// lost-key: the key material is gone: restic's key files, borg's repokey, or for duplicity's symmetric
// encryption (where the passphrase is the key) the passphrase itself.
import { randomBytes } from "node:crypto";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { requireEncryption } from "./encryption.ts";
import { defineFault } from "./fault.ts";

export default defineFault({
  name: "lost-key",
  description: "Lose the encryption key: restic's keys/, borg's repokey, duplicity's passphrase.",
  params: z.object({}).strict(),
  expect: ["detected"],
  async inject(_p, ctx) {
    requireEncryption("lost-key", ctx.tool, ctx.settings);
    if (ctx.tool === "restic") {
      const keys = await readdir(join(ctx.repoDir, "keys"));
      for (const k of keys) await rm(join(ctx.repoDir, "keys", k));
      return { effects: { removed: keys.map((k) => `keys/${k}`) } };
    }
    if (ctx.tool === "borg") {
      const config = join(ctx.repoDir, "config");
      const text = await readFile(config, "utf8");
      const kept = text.split("\n").filter((l) => !/^key\s*=/.test(l) && !/^[ \t]+\S/.test(l));
      if (kept.length === text.split("\n").length) throw new Error("lost-key: no repokey in borg's config (keyfile mode keeps it outside the repository)");
      await writeFile(config, kept.join("\n"));
      return { effects: { removed: "the repokey from the repository's config" } };
    }
    const lost = `lost-${randomBytes(12).toString("base64url")}`;
    ctx.state.override.restore = lost;
    ctx.state.override.check = lost;
    return { effects: { removed: "the passphrase (the symmetric key); a random one is used from now on" } };
  },
});
