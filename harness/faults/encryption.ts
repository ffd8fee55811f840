// Whether a tool, with these settings, encrypts its archives (passphrase and key faults need it).
export function isEncrypted(tool: string, settings: Record<string, unknown>): boolean {
  if (tool === "restic") return true;
  if (tool === "duplicity" || tool === "borg") return settings.encryption !== undefined && settings.encryption !== "none";
  return false;
}

export function requireEncryption(fault: string, tool: string, settings: Record<string, unknown>): void {
  if (!isEncrypted(tool, settings)) throw new Error(`${fault} does not apply: ${tool} runs without encryption here`);
}
