// packet-loss: a random share of the packets between the target and the secondary site is dropped.
import { z } from "zod";
import { defineFault } from "./fault.ts";
import { applyRule, durationProblems, NETWORK_NEEDS } from "./network.ts";

export default defineFault({
  name: "packet-loss",
  description: "Drop a random share of the packets to and from the secondary site.",
  params: z
    .object({
      percent: z.number().gt(0).max(100).describe("Share of packets dropped, in each direction."),
      for: z.string().optional().describe("How long (default: until heal-network or the end of the run)."),
    })
    .strict(),
  expect: ["recovered", "detected", "failed"],
  needs: NETWORK_NEEDS,
  transient: true,
  checkParams: (p) => durationProblems("for", p.for),
  inject: (p, ctx) => applyRule(ctx, { kind: "loss", percent: p.percent }, p.for),
});
