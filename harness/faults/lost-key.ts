// lost-key: the key material is gone, in whatever form the tool keeps it (restic's key files, borg's
// repokey, the passphrase itself for duplicity's symmetric encryption): the tool says what it means.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { needsEncryption } from "./encryption.ts";
import { defineFault } from "./fault.ts";

export default defineFault({
  name: "lost-key",
  description:
    "Lose the encryption key, as the tool keeps it (restic's keys/, borg's repokey, duplicity's passphrase).",
  params: z.object({}).strict(),
  expect: ["detected"],
  validate: (_p, ctx) =>
    needsEncryption("lost-key", ctx) ??
    (ctx.adapter.capabilities.loseKey
      ? []
      : [{ message: `lost-key does not apply: ${ctx.tool.name} does not say how its key can be lost` }]),
  async inject(_p, ctx) {
    const lost = await ctx.tool.capabilities.loseKey!(ctx.repo, ctx.settings);
    if (!lost.passphraseLost) return { effects: lost.effects };
    const random = `lost-${randomBytes(12).toString("base64url")}`;
    return { effects: lost.effects, passphrase: { restore: random, check: random } };
  },
});
