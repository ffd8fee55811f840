// What the network faults share: their need of site B's packet filter (a site drdrill stands up), and
// a rule that lasts for a while or until the link is healed.
import { describeRule, type NetRule } from "../net/firewall.ts";
import { secondarySite, siteFirewall } from "../rules/site-abilities.ts";
import { parseDuration } from "../util/units.ts";
import { durationProblem } from "../util/zod-units.ts";
import type { FaultContext, InjectResult } from "./fault.ts";

/** A site B, and its packet filter. */
export const NETWORK_NEEDS = [secondarySite, siteFirewall] as const;

export function durationProblems(
  field: string,
  value: string | undefined,
  minMs = 100,
): { field: string; message: string }[] {
  const p = value === undefined ? undefined : durationProblem(value, { minMs });
  return p ? [{ field, message: p }] : [];
}

export async function applyRule(ctx: FaultContext, rule: NetRule, forText: string | undefined): Promise<InjectResult> {
  const fw = ctx.abilities.need(siteFirewall);
  const applied = await fw.apply(rule);
  const forMs = forText ? parseDuration(forText)! : undefined;
  return {
    effects: {
      rule: describeRule(rule),
      table: applied.table,
      ...(forMs !== undefined ? { forMs } : { until: "healed (heal-network) or the end of the run" }),
    },
    lasting: { remove: applied.remove, ...(forMs !== undefined ? { forMs } : {}) },
  };
}
