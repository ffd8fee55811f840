// delete-backups: ransomware that erases the backups before it encrypts. With the credentials the
// target holds, it runs the tool's own commands (restic forget --prune, borg delete and compact,
// duplicity remove-all-but-n-full then rm over the same SFTP account, the store's delete for tar).
// Against a plain destination nothing is left; an append-only one keeps the backups, and where the
// tool keeps "deleted" data (borg), the operator rolls the repository back before restoring.
import { z } from "zod";
import { notRun } from "../tools/run-tool.ts";
import type { ToolRun } from "../tools/tool.ts";
import { defineFault, type FaultContext } from "./fault.ts";

/** Clears the tool's client-side cache on the target (after the repository was rolled back). */
function forgetCache(ctx: FaultContext): Promise<ToolRun> {
  return ctx.toolCall(async (s) => (await s.forgetCache?.()) ?? notRun("forget-cache", "no client cache to clear"));
}

export default defineFault({
  name: "delete-backups",
  description:
    "Erase every backup with the tool's own commands and the target's credentials (an attacker on the target).",
  params: z.object({}).strict(),
  expect: ["recovered", "failed", "detected"],
  validate: (_p, ctx) =>
    ctx.adapter.capabilities.eraseAll
      ? []
      : [{ message: `delete-backups does not apply: ${ctx.tool.name} has no way to erase its backups declared` }],
  async inject(_p, ctx) {
    const before = await ctx.repo.size();
    const attackWallMs = Date.now();
    // The attacker's commands, with the target's credentials: every one recorded, the call journalled once.
    const runs: ToolRun[] = [];
    await ctx.toolCall(async (s) => {
      runs.push(...((await s.eraseAll?.()) ?? []));
      return runs.at(-1) ?? notRun("erase", "the tool cannot erase its backups");
    }, "attacker");
    const after = await ctx.repo.size();
    const appendOnly = ctx.site?.appendOnly ?? false;
    return {
      effects: {
        how: ctx.tool.capabilities.eraseAll,
        commands: runs.map((r) => ({
          label: r.label,
          exitCode: r.exitCode,
          ...(r.message ? { said: r.message } : {}),
        })),
        attackerCommandsSucceeded: runs.every((r) => !r.failed),
        repoBytesBefore: before.bytes,
        repoBytesAfter: after.bytes,
        destination: ctx.site ? (appendOnly ? "site, append-only" : "site, plain") : "local folder",
      },
      ...(appendOnly && ctx.tool.capabilities.undoErase
        ? {
            armed: {
              on: "restore" as const,
              async beforeCall() {
                // The operator's first step after the attack: the repository back to before it.
                const undone = await ctx.tool.capabilities.undoErase!(ctx.repo, attackWallMs);
                const cache = undone.undone ? await forgetCache(ctx) : null;
                return { operatorRollback: undone, ...(cache ? { clientCacheCleared: cache.exitCode === 0 } : {}) };
              },
              async finish() {
                return { effects: {} };
              },
            },
          }
        : {}),
    };
  },
});
