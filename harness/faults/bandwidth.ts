// bandwidth: the link to the secondary site is capped at a byte rate (the "thin WAN link"): bytes
// over the rate are dropped and TCP slows to it.
import { z } from "zod";
import { EnvironmentError } from "../model/errors.ts";
import { parseRate } from "../util/units.ts";
import { defineFault } from "./fault.ts";
import { applyRule, durationProblems, NETWORK_NEEDS } from "./network.ts";

export default defineFault({
  name: "bandwidth",
  description:
    "Cap the link to the secondary site at a rate (e.g. 2MB/s); without a rate, the scenario's sweep.bandwidth.",
  params: z
    .object({
      rate: z.string().optional().describe("e.g. 2MB/s; default: this run's value of sweep.bandwidth."),
      for: z.string().optional().describe("How long (default: until heal-network or the end of the run)."),
    })
    .strict(),
  expect: ["recovered"],
  needs: NETWORK_NEEDS,
  transient: true,
  checkParams: (p) => [
    ...(p.rate !== undefined && !(parseRate(p.rate)! > 0)
      ? [{ field: "rate", message: `"${p.rate}" is not a rate; write e.g. 2MB/s` }]
      : []),
    ...durationProblems("for", p.for),
  ],
  validate: (p, ctx) =>
    p.rate === undefined && !ctx.scenario.sweep.bandwidth
      ? [{ field: "rate", message: "a bandwidth fault needs a rate, or the scenario's sweep.bandwidth" }]
      : [],
  async inject(p, ctx) {
    const bytesPerSecond = p.rate !== undefined ? parseRate(p.rate) : ctx.bandwidthBps;
    if (!bytesPerSecond) throw new EnvironmentError("bandwidth: this run has no rate (neither `rate` nor a swept one)");
    const r = await applyRule(ctx, { kind: "bandwidth", bytesPerSecond }, p.for);
    return { ...r, effects: { ...r.effects, bytesPerSecond } };
  },
});
