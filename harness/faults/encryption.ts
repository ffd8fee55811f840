// Whether the tool, with these settings, encrypts its archives: the passphrase and key faults need it,
// and ask how (a passphrase to get wrong, a key pair of the run's own to lose).
import { forTool, type Problem } from "../rules/context.ts";
import type { FaultRuleContext } from "./fault.ts";

function encryptionOf(ctx: FaultRuleContext) {
  return ctx.adapter.capabilities.encryption(ctx.tool.settings as Record<string, unknown>);
}

/** The problem when the tool runs without encryption here, else undefined. */
export function needsEncryption(fault: string, ctx: FaultRuleContext): Problem[] | undefined {
  return encryptionOf(ctx).encrypted
    ? undefined
    : [{ message: `${fault} does not apply: ${ctx.tool.name} runs without encryption with these settings` }];
}

/**
 * The problem when the tool encrypts to a key pair rather than with a passphrase: the run's own key has
 * none, and a user's key is unlocked by their gpg-agent, which keeps a passphrase it was once given.
 */
export function needsPassphrase(fault: string, ctx: FaultRuleContext): Problem[] | undefined {
  if (!encryptionOf(ctx).keyPair) return undefined;
  const message =
    `${fault} does not apply: ${ctx.tool.name} encrypts to a key pair with these settings (encryption: gpg-key), ` +
    `not with a passphrase; lost-key drills losing its secret key`;
  return [{ message: forTool(ctx, message) }];
}

/** The problem when the key is the user's: drdrill never deletes a key it did not make. */
export function needsOwnKey(fault: string, ctx: FaultRuleContext): Problem[] | undefined {
  if (encryptionOf(ctx).keyPair !== "user") return undefined;
  const message =
    `${fault} does not apply: the key is yours (encryptKey) and drdrill never deletes a key it did not make; ` +
    `leave encryptKey out to drill with the run's own key pair`;
  return [{ message: forTool(ctx, message) }];
}
