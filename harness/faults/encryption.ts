// Whether the tool, with these settings, encrypts its archives: the passphrase and key faults need it.
import type { ToolAdapter } from "../tools/tool.ts";

export function needsEncryption(
  fault: string,
  tool: ToolAdapter,
  settings: Record<string, unknown>,
): string | undefined {
  return tool.capabilities.encryption(settings).encrypted
    ? undefined
    : `${fault} does not apply: ${tool.name} runs without encryption with these settings`;
}
