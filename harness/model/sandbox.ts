// A run drilled in a sandbox (`targetSettings.ssh.sandbox: clone`): where production and its clone
// were, how the clone was made, and production's digest before and after: results.json's `sandbox`.

export interface SandboxRecord {
  mode: "clone";
  /** The host's data directory: only read. */
  production: string;
  /** The clone the drill ran on (removed at cleanup). */
  clone: string;
  /** How the clone was made: `reflink` (cp -a --reflink) or `copy` (a plain cp -a). */
  method: "reflink" | "copy";
  /** `sha256:…` of every entry of production (path, type, size, mode, owner, mtime, link, xattrs, content). */
  digestBefore: string;
  digestAfter: string | null;
  /** Both digests equal; null: production could not be read again (interrupted, connection lost). */
  untouched: boolean | null;
  /** What differs, when it does (at most 20 paths). */
  changes?: string[];
  changeCount?: number;
  /** Why production was not read again, when it was not. */
  note?: string;
}

/** Why a run must fail over its sandbox, or undefined when production is proven untouched. */
export function sandboxProblem(s: SandboxRecord): string | undefined {
  if (s.untouched === true) return undefined;
  if (s.untouched === null)
    return `production's data directory ${s.production} could not be proven untouched: ${s.note ?? "not read again"}`;
  const more = (s.changeCount ?? 0) > (s.changes?.length ?? 0) ? ` and ${s.changeCount! - s.changes!.length} more` : "";
  return (
    `production's data directory ${s.production} changed during the drill (digest ${s.digestBefore} before, ` +
    `${s.digestAfter} after): ${(s.changes ?? []).join("; ")}${more}. drdrill only read it (the drill ran on the ` +
    `clone ${s.clone}), so something else on the host wrote it: the drill's proof of non-disruption does not hold`
  );
}
