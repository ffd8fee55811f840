// site-loss: the primary site is gone: its services and anything it ran (a replication daemon) stop
// at once, and its data directory is lost. Backups at a secondary site, or a replica there, are all
// that is left.
import { z } from "zod";
import { secondarySite } from "../rules/site-abilities.ts";
import { machineCrash } from "../rules/target-abilities.ts";
import { notRun } from "../tools/run-tool.ts";
import { defineFault } from "./fault.ts";

export default defineFault({
  name: "site-loss",
  description: "Lose the primary: its services and its replication daemon stop at once, its data is gone.",
  params: z.object({}).strict(),
  expect: ["recovered"],
  needs: [secondarySite],
  async inject(_p, ctx) {
    // The machine goes down: what ran on it stops with it, mid-write, and its disk is gone.
    const stopped: string[] = [];
    const crash = ctx.abilities.get(machineCrash);
    if (crash) {
      // Where the target can go down at once, it does: its services and a replication daemon
      // running on it die mid-write, as the machine would.
      await crash();
      stopped.push("machine (killed)");
    } else {
      if (ctx.services.running()) {
        await ctx.services.stop();
        stopped.push("services");
      }
      if (ctx.tool.capabilities.replication) {
        await ctx.toolCall(
          async (s) => (await s.stopReplication?.()) ?? notRun("stop-replication", "the tool does not replicate"),
          "site-lost",
        );
        stopped.push("replication");
      }
    }
    const gone = await ctx.data.delete(["."]);
    return { effects: { site: "lost", stopped, entriesLost: gone.entries } };
  },
});
