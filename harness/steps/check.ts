// check: light | deep. The tool checks its repository: its structure, or every byte of its data.
import { z } from "zod";
import { defineStep } from "./step.ts";
import { noteFailure } from "./tool-results.ts";

export default defineStep({
  name: "check",
  description: "Check the repository: light (structure) or deep (read all data).",
  schema: z.enum(["light", "deep"]).describe("Check the repository: light (structure) or deep (read all data)."),
  estimateMs: (depth, est) => (depth === "deep" ? est.callMs(est.bytes) : 1_000),
  async run(depth, ctx) {
    const deep = depth === "deep";
    const run = await ctx.phase(
      "check",
      () => ctx.toolCall("check", (s) => s.check(deep, ctx.target.paths.data)),
      depth,
    );
    return { ok: !run.failed || ctx.state.facts.faultInjected, changes: noteFailure(ctx.state, run) };
  },
});
