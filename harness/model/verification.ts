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
}

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
  fidelity: Record<Attribute, AttributeFidelity>;
}
