// wrong-passphrase: a passphrase other than the one the backup was made with, at restore (the usual
// case) or at backup (duplicity then writes an incremental with the wrong key on a warm cache). It does
// not apply to a tool that encrypts to a key pair (duplicity's gpg-key): there is no passphrase to get wrong.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { needsEncryption, needsPassphrase } from "./encryption.ts";
import { defineFault } from "./fault.ts";

export default defineFault({
  name: "wrong-passphrase",
  description: "Use a wrong passphrase from now on: for restores and checks (default), or for the next backups.",
  params: z.object({ for: z.enum(["restore", "backup"]).default("restore") }).strict(),
  expect: ["detected"],
  validate: (_p, ctx) => needsEncryption("wrong-passphrase", ctx) ?? needsPassphrase("wrong-passphrase", ctx) ?? [],
  async inject(p) {
    const wrong = `wrong-${randomBytes(12).toString("base64url")}`;
    return {
      effects: { for: p.for, passphrase: "replaced by a random one (not recorded)" },
      passphrase: p.for === "restore" ? { restore: wrong, check: wrong } : { backup: wrong },
    };
  },
});
