// partition: the link between the target and the secondary site is cut (every packet dropped in the
// site's network namespace), for a while or until healed.
import { z } from "zod";
import { defineFault } from "./fault.ts";
import { applyRule, durationProblems, NETWORK_NEEDS } from "./network.ts";

export default defineFault({
  name: "partition",
  description: "Cut the link to the secondary site (every packet dropped), for a while or until heal-network.",
  params: z
    .object({ for: z.string().optional().describe("How long (default: until heal-network or the end of the run).") })
    .strict(),
  expect: ["recovered", "detected", "failed"],
  needs: NETWORK_NEEDS,
  transient: true,
  checkParams: (p) => durationProblems("for", p.for),
  inject: (p, ctx) => applyRule(ctx, { kind: "partition" }, p.for),
});
