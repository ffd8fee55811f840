// Whether the tool, with these settings, encrypts its archives: the passphrase and key faults need it.
import type { Problem } from "../rules/context.ts";
import type { FaultRuleContext } from "./fault.ts";

/** The problem when the tool runs without encryption here, else undefined. */
export function needsEncryption(fault: string, ctx: FaultRuleContext): Problem[] | undefined {
  return ctx.adapter.capabilities.encryption(ctx.tool.settings as Record<string, unknown>).encrypted
    ? undefined
    : [{ message: `${fault} does not apply: ${ctx.tool.name} runs without encryption with these settings` }];
}
