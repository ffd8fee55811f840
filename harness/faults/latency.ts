// latency: delay on the link to the secondary site. It needs the kernel's netem queueing discipline;
// where the kernel has none (this machine kind), it is refused with exit 3 and says what is missing.
import { z } from "zod";
import { EnvironmentError } from "../model/errors.ts";
import { siteFirewall } from "../rules/site-abilities.ts";
import { parseDuration } from "../util/units.ts";
import { defineFault } from "./fault.ts";
import { durationProblems, NETWORK_NEEDS } from "./network.ts";

export default defineFault({
  name: "latency",
  description: "Add delay to the link to the secondary site (needs the kernel's netem).",
  params: z.object({ delay: z.string().describe("e.g. 80ms"), for: z.string().optional() }).strict(),
  expect: ["recovered"],
  needs: NETWORK_NEEDS,
  transient: true,
  checkParams: (p) => [...durationProblems("delay", p.delay, 1), ...durationProblems("for", p.for)],
  async inject(p, ctx) {
    const fw = ctx.abilities.need(siteFirewall);
    const why = await fw.latencyUnsupported();
    if (why) throw new EnvironmentError(why);
    const ms = parseDuration(p.delay)!;
    const added = await fw.addLatency(ms);
    const forMs = p.for ? parseDuration(p.for)! : undefined;
    return { effects: { delayMs: ms }, lasting: { remove: added.remove, ...(forMs !== undefined ? { forMs } : {}) } };
  },
});
