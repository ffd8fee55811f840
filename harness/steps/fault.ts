// fault: { NAME: PARAMS }. Injects a fault from the catalogue (or arms it for the next backup or
// restore); the last fault before the restore is the disaster RTO and RPO are measured from. The
// step hosts each fault of its catalogue: its schema, its rules and needs, and its injection.
import { z } from "zod";
import type { Fault, FaultContext } from "../faults/fault.ts";
import { under, type Problem } from "../rules/context.ts";
import type { ToolCallKind } from "../model/journal-events.ts";
import { exactlyOne } from "../util/exactly-one.ts";
import { flushAfter } from "./flush.ts";
import { defineStep, type StepContext } from "./step.ts";
import { mergeChanges, type StateChanges } from "./state.ts";

const fieldPath = (field: string | undefined) =>
  field ? field.split(".").map((k) => (/^\d+$/.test(k) ? Number(k) : k)) : [];

/** A fault's schema: its parameters, with what its own checkParams finds in them. */
function faultSchema(f: Fault): z.ZodType {
  return (f.params as z.ZodType)
    .superRefine((p, ctx) => {
      for (const problem of f.checkParams?.(p) ?? [])
        ctx.addIssue({ code: "custom", message: problem.message, path: fieldPath(problem.field) });
    })
    .describe(f.description);
}

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

/** What a fault may use of the drill: the target's folders, the tool, calls of it, and the run's abilities. */
async function faultContext(name: string, ctx: StepContext): Promise<FaultContext> {
  const other: ToolCallKind = "other";
  return {
    data: ctx.target.data,
    repo: ctx.repo,
    scratch: await ctx.faultScratch(name),
    tool: ctx.plan.tool,
    settings: ctx.plan.settings,
    sourceBytes: ctx.state.backups.at(-1)?.manifest?.bytes ?? ctx.state.seededBytes,
    seed: ctx.plan.seed,
    crashBackup: (afterMs) => crashBackup(ctx, afterMs),
    toolCall: (fn, label) => ctx.toolCall(other, fn, label ? { label } : {}),
    services: { running: () => ctx.target.servicesRunning(), stop: () => ctx.target.quiesce() },
    abilities: ctx.abilities,
    ...(ctx.site ? { site: { appendOnly: ctx.site.appendOnly } } : {}),
    ...(ctx.plan.bandwidthBps ? { bandwidthBps: ctx.plan.bandwidthBps } : {}),
  };
}

/** The fault step over a catalogue of faults. */
export function faultStep(faults: Readonly<Record<string, Fault>>) {
  return defineStep({
    name: "fault",
    description: "Inject a fault.",
    schema: exactlyOne(
      Object.fromEntries(Object.values(faults).map((f) => [f.name, faultSchema(f)])),
      "fault",
    ).describe("Inject a fault."),
    expects: (spec) => Object.keys(spec as object).flatMap((name) => (faults[name] ? [faults[name].expect] : [])),
    touches: (spec) =>
      Object.entries(spec as Record<string, unknown>).flatMap(([name, params]) =>
        (faults[name]?.paths?.(params) ?? []).map((p) => ({ ...p, who: `fault ${name}` })),
      ),
    estimateMs: () => 500,
    validate(spec, ctx) {
      const problems: Problem[] = [];
      for (const [name, params] of Object.entries(spec as Record<string, unknown>)) {
        const fault = faults[name];
        if (!fault) continue;
        for (const p of [...ctx.unmet(name, fault.needs ?? []), ...(fault.validate?.(params, ctx) ?? [])])
          problems.push(under(name, p));
      }
      return problems;
    },
    async run(spec, ctx) {
      const changes: StateChanges[] = [];
      for (const [name, params] of Object.entries(spec as Record<string, unknown>)) {
        const fault = faults[name];
        if (!fault) throw new Error(`unknown fault "${name}"`);
        if (fault.heals) {
          const healed = await ctx.armed.heal();
          ctx.journal.emit("fault-effects", { fault: name, stage: "healed", effects: { healed } });
        }
        const fctx = await faultContext(name, ctx);
        // The newest write as the fault strikes: the writes a restore loses are counted from it.
        const newest = await ctx.target.loadNewest().catch(() => null);
        // A fault that destroys is done when its damage is on disk: flushed in its phase, before the
        // disaster's clock starts (a network fault writes nothing).
        const result = await ctx.phase(
          "fault",
          async () => {
            const r = await fault.inject(params, fctx);
            if (!fault.transient) await flushAfter(ctx, "fault", [ctx.target.data, ctx.repo]);
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
}
