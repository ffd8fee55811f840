// check: light | deep | { sample: N% }. The tool checks its repository: its structure, every byte of
// its data, or a sampled share of it (a tool whose capabilities say `sampledCheck`).
import { z } from "zod";
import { defineStep } from "./step.ts";
import { noteFailure } from "./tool-results.ts";

const sample = z
  .object({
    sample: z
      .string()
      .regex(/^(100|[1-9]?\d)(\.\d+)?%$/, "a percentage from 0.1% to 100%, e.g. 10%")
      .describe("Read and verify this share of the data, e.g. 10%."),
  })
  .strict();

const schema = z
  .union([z.enum(["light", "deep"]), sample])
  .describe("Check the repository: light (structure), deep (read all data) or { sample: N% } (read a share).");

type Depth = z.infer<typeof schema>;

function percentOf(depth: Depth): number | undefined {
  return typeof depth === "object" ? Number(depth.sample.slice(0, -1)) : undefined;
}

export default defineStep({
  name: "check",
  description: "Check the repository: light (structure), deep (read all data) or a sampled share of it.",
  schema,
  estimateMs: (depth, est) =>
    depth === "deep"
      ? est.callMs(est.bytes)
      : typeof depth === "object"
        ? est.callMs((est.bytes * (percentOf(depth) ?? 100)) / 100)
        : 1_000,
  validate(depth, ctx) {
    const pct = percentOf(depth);
    if (pct === undefined) return [];
    const problems = [];
    if (!ctx.adapter.capabilities.sampledCheck)
      problems.push({ field: "sample", message: `${ctx.adapter.name} has no sampled check (light or deep only)` });
    if (!(pct > 0)) problems.push({ field: "sample", message: "must be more than 0%" });
    return problems;
  },
  async run(depth, ctx) {
    const deep = depth === "deep";
    const pct = percentOf(depth);
    const run = await ctx.phase(
      "check",
      () =>
        ctx.toolCall("check", (s) =>
          s.check(deep, ctx.target.paths.data, pct !== undefined ? { samplePercent: pct } : undefined),
        ),
      typeof depth === "object" ? `sample ${depth.sample}` : depth,
    );
    return { ok: !run.failed || ctx.state.facts.faultInjected, changes: noteFailure(ctx.state, run) };
  },
});
