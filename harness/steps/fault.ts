// fault: { NAME: PARAMS }. Injects a fault from the catalogue (or arms it for the next backup or
// restore); the last fault before the restore is the disaster RTO and RPO are measured from.
import { z } from "zod";
import type { FaultContext } from "../faults/fault.ts";
import { FAULTS } from "../faults/registry.ts";
import { notRun } from "../tools/run-tool.ts";
import type { ToolRun } from "../tools/tool.ts";
import { exactlyOne } from "../util/exactly-one.ts";
import { flushAfter } from "./flush.ts";
import { defineStep, type StepContext } from "./step.ts";
import { mergeChanges, type StateChanges } from "./state.ts";

const faultShape = Object.fromEntries(
  Object.values(FAULTS).map((f) => [
    f.name,
    (f.params as z.ZodType)
      .superRefine((p, ctx) => {
        for (const problem of f.validate?.(p) ?? []) {
          ctx.addIssue({
            code: "custom",
            message: problem.message,
            path: problem.field ? problem.field.split(".").map((k) => (/^\d+$/.test(k) ? Number(k) : k)) : [],
          });
        }
      })
      .describe(f.description),
  ]),
) as Record<string, z.ZodType>;

/** A backup run now, its process group SIGKILLed after `afterMs` (a crash, a power loss). */
async function crashBackup(ctx: StepContext, afterMs: number) {
  // An adapter may run helper commands first; the crash hits whichever runs `afterMs` after the call began.
  let current: { kill(s: NodeJS.Signals): Promise<void> } | null = null;
  const timer = setTimeout(() => void current?.kill("SIGKILL"), afterMs);
  try {
    const kind =
      ctx.state.backups.length > 0 && ctx.plan.tool.capabilities.incremental === true ? "incremental" : "full";
    return await ctx.toolCall("other", (s) => s.backup(kind, ctx.target.paths.data), {
      onSpawn: (g) => (current = g),
      label: "crashed",
    });
  } finally {
    clearTimeout(timer);
  }
}

export default defineStep({
  name: "fault",
  description: "Inject a fault.",
  schema: exactlyOne(faultShape, "fault").describe("Inject a fault."),
  requires(spec, tool, settings) {
    for (const [name, params] of Object.entries(spec as Record<string, unknown>)) {
      const why = FAULTS[name]?.requires?.(params, tool, settings);
      if (why) return why;
    }
    return undefined;
  },
  async run(spec, ctx) {
    const changes: StateChanges[] = [];
    for (const [name, params] of Object.entries(spec as Record<string, unknown>)) {
      const fault = FAULTS[name]!;
      const target = ctx.target;
      if (fault.heals) {
        const healed = await ctx.armed.heal();
        ctx.journal.emit("fault-effects", { fault: name, stage: "healed", effects: { healed } });
      }
      const fctx: FaultContext = {
        data: target.data,
        repo: ctx.repo,
        scratch: await ctx.faultScratch(name),
        tool: ctx.plan.tool,
        settings: ctx.plan.settings,
        sourceBytes: ctx.state.backups.at(-1)?.manifest.bytes ?? ctx.state.seededBytes,
        seed: ctx.plan.seed,
        crashBackup: (afterMs) => crashBackup(ctx, afterMs),
        ...(target.smallFilesystem ? { smallFilesystem: (bytes: number) => target.smallFilesystem!(bytes) } : {}),
        ...(ctx.site ? { site: { firewall: ctx.site.firewall, appendOnly: ctx.site.appendOnly } } : {}),
        ...(ctx.plan.bandwidthBps ? { bandwidthBps: ctx.plan.bandwidthBps } : {}),
        eraseBackups: async () => {
          const runs: ToolRun[] = [];
          await ctx.toolCall(
            "other",
            async (s) => {
              runs.push(...((await s.eraseAll?.()) ?? []));
              return runs.at(-1) ?? notRun("erase", "the tool cannot erase its backups");
            },
            { label: "attacker" },
          );
          return runs;
        },
        loseSite: async () => {
          // The machine goes down: what ran on it stops with it, mid-write, and its disk is gone.
          const stopped: string[] = [];
          if (target.crash) {
            // Where the target can go down at once, it does: its services and a replication daemon
            // running on it die mid-write, as the machine would.
            await target.crash();
            stopped.push("machine (killed)");
          } else if (target.servicesRunning()) {
            await target.quiesce();
            stopped.push("services");
          }
          if (ctx.plan.tool.capabilities.replication && !target.crash) {
            await ctx.toolCall("other", async (s) => s.stopReplication!(), { label: "site-lost" });
            stopped.push("replication");
          }
          const gone = await target.data.delete(["."]);
          return { stopped, entriesLost: gone.entries };
        },
        forgetToolCache: async () => {
          let r: ToolRun | null = null;
          await ctx.toolCall(
            "other",
            async (s) => (r = (await s.forgetCache?.()) ?? notRun("forget-cache", "no client cache to clear")),
          );
          return r;
        },
      };
      // The newest write as the fault strikes: the writes a restore loses are counted from it.
      const newest = await target.loadNewest().catch(() => null);
      // A fault that destroys is done when its damage is on disk: flushed in its phase, before the
      // disaster's clock starts (a network fault writes nothing).
      const result = await ctx.phase(
        "fault",
        async () => {
          const r = await fault.inject(params, fctx);
          if (!fault.transient) await flushAfter(ctx, "fault", [target.data, ctx.repo]);
          return r;
        },
        name,
      );
      if (result.armed) ctx.armed.add(name, result.armed);
      if (result.lasting) ctx.armed.addLasting(name, result.lasting);
      const ev = ctx.journal.emit("fault-injected", {
        fault: name,
        params: params as Record<string, unknown>,
        effects: result.effects,
        ...(fault.transient ? { transient: true } : {}),
        ...(newest ? { newestWrite: { seq: newest.newestSeq, wallMs: newest.newestWallMs } } : {}),
      });
      changes.push({
        // A network fault destroys nothing: failures after it are not the tool reporting damage.
        facts: fault.transient ? {} : { faultInjected: true },
        faults: [
          { fault: name, params: params as Record<string, unknown>, effects: { ...result.effects }, atMs: ev.t },
        ],
        ...(result.passphrase ? { passphrase: result.passphrase } : {}),
      });
    }
    return { ok: true, changes: mergeChanges(...changes) };
  },
});
