// lost-key: the key material is gone, in whatever form the tool keeps it (restic's key files, borg's
// repokey, the passphrase itself for duplicity's symmetric encryption, the secret key of the run's own
// key pair for duplicity's gpg-key): the tool says what it means. A user's own key is never touched.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { notRun } from "../tools/run-tool.ts";
import { needsEncryption, needsOwnKey } from "./encryption.ts";
import { defineFault } from "./fault.ts";

export default defineFault({
  name: "lost-key",
  description:
    "Lose the encryption key, as the tool keeps it (restic's keys/, borg's repokey, duplicity's passphrase " +
    "or the secret key of the run's key pair).",
  params: z.object({}).strict(),
  expect: ["detected"],
  validate: (_p, ctx) =>
    needsEncryption("lost-key", ctx) ??
    needsOwnKey("lost-key", ctx) ??
    (ctx.adapter.capabilities.loseKey
      ? []
      : [{ message: `lost-key does not apply: ${ctx.tool.name} does not say how its key can be lost` }]),
  async inject(_p, ctx) {
    const lost = await ctx.tool.capabilities.loseKey!(ctx.repo, ctx.settings);
    if (lost.inSession) {
      const run = await ctx.toolCall(
        (s) => s.loseKey?.() ?? Promise.resolve(notRun("lose-key", `${ctx.tool.name}: the session keeps no key`)),
      );
      if (run.failed) throw new Error(`lost-key: ${run.message ?? `${run.label} exit ${run.exitCode}`}`);
      return { effects: lost.effects };
    }
    if (!lost.passphraseLost) return { effects: lost.effects };
    const random = `lost-${randomBytes(12).toString("base64url")}`;
    return { effects: lost.effects, passphrase: { restore: random, check: random } };
  },
});
