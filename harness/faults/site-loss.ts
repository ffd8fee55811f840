// site-loss: the primary site is gone: its services and anything it ran (a replication daemon) stop
// at once, and its data directory is lost. Backups at a secondary site, or a replica there, are all
// that is left.
import { z } from "zod";
import { defineFault } from "./fault.ts";

export default defineFault({
  name: "site-loss",
  description: "Lose the primary: its services and its replication daemon stop at once, its data is gone.",
  params: z.object({}).strict(),
  expect: ["recovered"],
  needsSite: true,
  async inject(_p, ctx) {
    return { effects: { site: "lost", ...(await ctx.loseSite!()) } };
  },
});
