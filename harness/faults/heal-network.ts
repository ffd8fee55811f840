// heal-network: every network fault in force (a partition, loss, a cap) is taken away: the link is back.
import { z } from "zod";
import { secondarySite } from "../rules/site-abilities.ts";
import { defineFault } from "./fault.ts";

export default defineFault({
  name: "heal-network",
  description: "Take away every network fault in force: the link to the site is back.",
  params: z.object({}).strict(),
  expect: ["recovered"],
  needs: [secondarySite],
  transient: true,
  heals: true,
  // The fault step heals (heals: true); this records it.
  inject: async () => ({ effects: { healed: true } }),
});
