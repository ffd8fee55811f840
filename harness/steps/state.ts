// The drill's shared state: what has happened so far (facts the outcome is decided from, backups
// taken, faults injected, what verification found, passphrases in force). Steps read it and return
// changes; the runner applies them with `applyChanges`, a pure function.
import type { Manifest } from "../model/manifest.ts";
import type { FaultRecord } from "../model/result.ts";
import type { Verification } from "../model/verification.ts";
import type { PassphraseOverride } from "../faults/fault.ts";

/** What the outcome is decided from (decide-outcome.ts). */
export interface DrillFacts {
  /** A sandbox's production changed during the drill, or could not be read again: why the run fails. */
  productionChanged?: string;
  /** The harness or its environment failed (not a verdict on the tool). */
  error?: string;
  faultInjected: boolean;
  /** A tool call exited non-zero after a fault (the tool reported damage), with its message. */
  reportedByTool?: string;
  /**
   * A tool call that failed with no fault to blame, could not run, or was killed at the timeout; or a
   * command of the user's (a `run` step, a check of `verify`) that did not do what was expected of it.
   */
  toolFailure?: string;
  restoreRan: boolean;
  restoreSucceeded: boolean;
  /** A restore that exited 0 but printed an error (and restored the wrong tree): the tool's words. */
  restoreWarned?: string;
  /** After a failover: the replica holds the damage too (the fault was replicated), and how. */
  replicatedDamage?: string;
  contentOk?: boolean;
  contentMismatches?: number;
  requiredOk?: boolean;
  requiredDetail?: string;
  /** Files a fault changed while they were backed up that came back torn (neither old nor new). */
  torn?: number;
  servicesRequired: boolean;
  /** The point that restored after newer ones failed (newest-restorable), and what they said. */
  fellBack?: string;
  healthOk?: boolean;
  healthDetail?: string;
  /** A restore test's point as checked (no manifest from backup time): what "recovered" means for it. */
  pointChecked?: string;
}

/** Facts where the first word stands (the first failure is the one that explains the rest). */
const FIRST_WINS = ["reportedByTool", "toolFailure", "restoreWarned", "error"] as const;

/** A successful backup of the run. */
export interface BackupPoint {
  /** 1 for the run's first successful backup. */
  number: number;
  /** When it started (wall clock, ms). */
  wallMs: number;
  /** When the tool's call ended (wall clock, ms). */
  endWallMs: number;
  kind: "full" | "incremental";
  /** The tool's own id for it, when it says one. */
  toolId?: string;
  label: string;
  /** What was backed up (taken at backup time); absent for a repository's own points (a restore test). */
  manifest?: Manifest;
}

export interface DrillState {
  facts: DrillFacts;
  backups: BackupPoint[];
  faults: FaultRecord[];
  verification: Verification | null;
  passphrase: { base: string; override: PassphraseOverride };
  seededBytes: number;
}

export interface StateChanges {
  facts?: Partial<DrillFacts>;
  backups?: Omit<BackupPoint, "number">[];
  faults?: FaultRecord[];
  /** Effects that join the newest record of a fault (what it did later, after a backup or restore). */
  faultEffects?: { fault: string; effects: Record<string, unknown> }[];
  verification?: Verification;
  passphrase?: PassphraseOverride;
  seededBytes?: number;
}

export function initialState(passphrase: string, servicesRequired: boolean): DrillState {
  return {
    facts: { faultInjected: false, restoreRan: false, restoreSucceeded: false, servicesRequired },
    backups: [],
    faults: [],
    verification: null,
    passphrase: { base: passphrase, override: {} },
    seededBytes: 0,
  };
}

export function applyChanges(state: DrillState, c: StateChanges): DrillState {
  const facts = { ...state.facts };
  for (const [k, v] of Object.entries(c.facts ?? {})) {
    if (v === undefined) continue;
    if ((FIRST_WINS as readonly string[]).includes(k) && facts[k as keyof DrillFacts] !== undefined) continue;
    (facts as Record<string, unknown>)[k] = v;
  }
  const backups = [...state.backups];
  for (const b of c.backups ?? []) backups.push({ ...b, number: backups.length + 1 });
  const faults = [...state.faults, ...(c.faults ?? []).map((f) => ({ ...f, effects: { ...f.effects } }))];
  for (const { fault, effects } of c.faultEffects ?? []) {
    const i = faults.findLastIndex((f) => f.fault === fault);
    if (i >= 0) faults[i] = { ...faults[i]!, effects: { ...faults[i]!.effects, ...effects } };
  }
  return {
    facts,
    backups,
    faults,
    verification: c.verification ?? state.verification,
    passphrase: c.passphrase
      ? { ...state.passphrase, override: { ...state.passphrase.override, ...c.passphrase } }
      : state.passphrase,
    seededBytes: c.seededBytes ?? state.seededBytes,
  };
}

/** Several changes as one, in order (later facts over earlier ones, first-wins facts kept). */
export function mergeChanges(...all: StateChanges[]): StateChanges {
  const out: StateChanges = {};
  for (const c of all) {
    if (c.facts) {
      const facts: Partial<DrillFacts> = { ...out.facts };
      for (const [k, v] of Object.entries(c.facts)) {
        if (v === undefined) continue;
        if ((FIRST_WINS as readonly string[]).includes(k) && facts[k as keyof DrillFacts] !== undefined) continue;
        (facts as Record<string, unknown>)[k] = v;
      }
      out.facts = facts;
    }
    if (c.backups) out.backups = [...(out.backups ?? []), ...c.backups];
    if (c.faults) out.faults = [...(out.faults ?? []), ...c.faults];
    if (c.faultEffects) out.faultEffects = [...(out.faultEffects ?? []), ...c.faultEffects];
    if (c.verification) out.verification = c.verification;
    if (c.passphrase) out.passphrase = { ...out.passphrase, ...c.passphrase };
    if (c.seededBytes !== undefined) out.seededBytes = c.seededBytes;
  }
  return out;
}

/** The passphrase for a kind of tool call now (a fault may have replaced it). */
export function passphraseFor(state: DrillState, kind: string): string {
  const o = state.passphrase.override;
  return (
    (kind === "backup" ? o.backup : kind === "restore" ? o.restore : kind === "check" ? o.check : undefined) ??
    state.passphrase.base
  );
}
