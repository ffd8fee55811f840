// verify: [files, services]. What must hold for "recovered": the restored files (compared at the
// restore), and the services' health checked once more.
import { z } from "zod";
import { defineStep } from "./step.ts";

export default defineStep({
  name: "verify",
  description: "What must hold for 'recovered'.",
  schema: z
    .array(z.enum(["files", "services"]))
    .min(1)
    .describe("What must hold for 'recovered'."),
  requiresServices: (what) => what.includes("services"),
  async run(what, ctx) {
    return ctx.phase(
      "verify",
      async () => {
        let facts = {};
        if (what.includes("services") && ctx.state.facts.restoreSucceeded) {
          // After a failover the services run at site B: that is where they are checked.
          const health = await (ctx.armed.promoted ?? ctx.target).health();
          ctx.journal.emit("health", health);
          facts = { healthOk: health.ok, healthDetail: health.detail };
        }
        const healthOk = "healthOk" in facts ? (facts as { healthOk: boolean }).healthOk : ctx.state.facts.healthOk;
        return { ok: ctx.state.facts.contentOk !== false && healthOk !== false, changes: { facts } };
      },
      what.join(","),
    );
  },
});
