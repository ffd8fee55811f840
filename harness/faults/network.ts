// What the network faults share: the site's packet filter, refused where there is none, and a rule
// that lasts for a while or until the link is healed.
import { EnvironmentError } from "../model/errors.ts";
import { describeRule, type NetRule } from "../net/firewall.ts";
import { parseDuration } from "../util/units.ts";
import { durationProblem } from "../util/zod-units.ts";
import type { FaultContext, InjectResult } from "./fault.ts";

export function durationProblems(
  field: string,
  value: string | undefined,
  minMs = 100,
): { field: string; message: string }[] {
  const p = value === undefined ? undefined : durationProblem(value, { minMs });
  return p ? [{ field, message: p }] : [];
}

export async function applyRule(ctx: FaultContext, rule: NetRule, forText: string | undefined): Promise<InjectResult> {
  const fw = ctx.site?.firewall;
  if (!fw)
    throw new EnvironmentError(
      "network faults need the container site drdrill stands up (its own network namespace); this site is a host drdrill does not own",
    );
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
