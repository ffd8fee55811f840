// What the comparison of a restored tree with its manifest found: content mismatches, and per
// metadata attribute how much the tool kept (its fidelity).

export const ATTRIBUTES = ["mode", "owner", "mtime", "hardlinks", "xattrs"] as const;
export type Attribute = (typeof ATTRIBUTES)[number];

export type MismatchKind = "missing" | "extra" | "type" | "content" | "link" | Attribute;

export interface Mismatch {
  path: string;
  kind: MismatchKind;
  expected?: string;
  actual?: string;
}

export interface AttributeFidelity {
  checked: number;
  kept: number;
  /** The precision the comparison allowed (mtime only). */
  precisionMs?: number;
  required: boolean;
  /** Why the line is what it is, when the numbers alone do not say (sockets: no tool stores them). */
  note?: string;
}

/** Entries of kinds no backup tool stores (a program makes a socket when it listens): never required back. */
export const NOT_STORED = ["socket"] as const;

export interface Verification {
  filesChecked: number;
  entriesChecked: number;
  /** Files whose content came back byte-identical. */
  filesIdentical: number;
  /** Content-level differences (always count) and differences in required attributes. */
  mismatches: Mismatch[];
  mismatchCount: number;
  contentOk: boolean;
  requiredOk: boolean;
  /** Per attribute; `sockets` (when the tree held any): how many came back, never required. */
  fidelity: Record<Attribute, AttributeFidelity> & { sockets?: AttributeFidelity };
}
