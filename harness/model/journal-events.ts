// The events of a drill as they are appended to journal.jsonl; metrics are computed from these alone.
import type { AttemptVerdict } from "./recovery-point.ts";
import type { SandboxRecord } from "./sandbox.ts";

export type ToolCallKind = "init" | "backup" | "restore" | "check" | "other";

export type PhaseName =
  | "prepare"
  | "seed"
  | "quiesce"
  | "backup"
  | "resume"
  | "load"
  | "fault"
  | "check"
  | "restore"
  | "replace"
  | "verify"
  | "wait"
  /** A `run` step: a command of the user's runbook (a fix-up after the restore is inside RTO). */
  | "run"
  | "cleanup"
  | "manifest"
  | "inspect";

/** Phases that are the harness's own measuring, not part of the drill: excluded from RTO and downtime. */
export const HARNESS_PHASES: readonly PhaseName[] = ["manifest", "inspect"];

interface Base {
  /** Monotonic milliseconds since the journal was opened. */
  t: number;
  /** Wall-clock time, ISO 8601. */
  wall: string;
  /** Index of the run within the invocation (scenario x tool x repeat). */
  run?: number;
}

export type JournalEvent = Base &
  (
    | { type: "invocation-start"; runId: string; argv: string[] }
    | {
        type: "run-start";
        scenario: string;
        tool: string;
        settings: Record<string, unknown>;
        target: string;
        repeat: number;
      }
    | { type: "phase-start"; phase: PhaseName; detail?: string }
    | { type: "phase-end"; phase: PhaseName; ok: boolean; detail?: string }
    | { type: "services-down" }
    | { type: "services-up" }
    | { type: "dataset"; bytes: number; files: number; method?: string }
    | {
        type: "tool-call";
        kind: ToolCallKind;
        label: string;
        command: string;
        exitCode: number | null;
        signal: string | null;
        timedOut: boolean;
        startT: number;
        endT: number;
        durationMs: number;
        peakRssBytes: number | null;
        cpuMs: number | null;
        /** Bytes its process tree read (rchar), where the executor can say. */
        readBytes?: number;
        stdoutPath: string;
        stderrPath: string;
        message?: string;
        stats?: Record<string, number>;
        /** For backups: what the scenario asked for (a full or an incremental). */
        backupKind?: "full" | "incremental";
        duringNetworkFault?: string;
        /** A replicator's failover: counts for RTO, not as a restore's time or rate. */
        failover?: boolean;
      }
    | { type: "repo-size"; bytes: number }
    /** A restore test: the repository it reads (never writes), its points as the tool listed them, when it began. */
    | {
        type: "restore-test";
        source: string;
        tool: string;
        repository: string;
        points: number;
        newestAt: string | null;
        startedWallMs: number;
        readOnly: string;
        verifies: string;
      }
    /** A restore test's restored point compared with production: files older than the point must match. */
    | {
        type: "restore-check";
        compareWith: string | null;
        restoredFiles: number;
        restoredBytes: number;
        filesChecked: number;
        bytesChecked: number;
        filesIdentical: number;
        differences: number;
        changedSince: number;
      }
    /** A file system's write-back forced to disk after a step that wrote to it (`after`), and what it took. */
    | { type: "flush"; after: "backup" | "fault" | "restore"; what: string; ms: number | null }
    | { type: "link-bytes"; kind: ToolCallKind; label: string; toSiteBytes: number; fromSiteBytes: number }
    | { type: "backup-failed"; label: string; message: string; during: string }
    | { type: "manifest"; files: number; bytes: number; digest: string; hashesReused?: number }
    | {
        type: "fault-injected";
        fault: string;
        params: Record<string, unknown>;
        effects: Record<string, unknown>;
        transient?: boolean;
        /** The newest load-writer record as the fault struck (read just before it), where the target can say. */
        newestWrite?: { seq: number | null; wallMs: number | null };
      }
    | { type: "fault-effects"; fault: string; stage: string; effects: Record<string, unknown> }
    | { type: "target"; name: string; info: Record<string, string> }
    /** A sandbox clone made (digestAfter null), then production read again at cleanup. */
    | ({ type: "sandbox" } & SandboxRecord)
    | { type: "site"; info: Record<string, string> }
    | { type: "standby"; info: Record<string, string> }
    | { type: "note"; text: string }
    | { type: "replication-lag"; lagMs: number }
    | { type: "warning"; text: string }
    | { type: "health"; ok: boolean; detail: string }
    /** A check of the user's (`verify: [{ command }]`): passed or not, and when not, in its own words. */
    | {
        type: "user-check";
        command: string;
        on: string;
        ok: boolean;
        exitCode: number | null;
        ms: number;
        said?: string;
      }
    | { type: "load-survivor"; newestWallMs: number | null; newestSeq: number | null }
    | {
        type: "verification";
        filesChecked: number;
        mismatches: number;
        fidelity: Record<string, unknown>;
        filesIdentical?: number;
      }
    | {
        type: "restore-attempt";
        asked: string;
        attempt: number;
        backup: number | null;
        of: number;
        kind: "full" | "incremental" | null;
        toolId: string | null;
        takenWallMs: number | null;
        verdict: AttemptVerdict;
        said: string | null;
        placed: boolean;
        random?: { seed: number; among: number[] };
      }
    | { type: "outcome"; outcome: string; reason: string }
    | { type: "error"; message: string }
    | { type: "run-end" }
    | { type: "interrupted"; signal: string; during?: string }
    | { type: "leftovers-removed"; items: string[] }
    | { type: "invocation-end"; exitCode: number }
  );

export type JournalEventType = JournalEvent["type"];
/** The fields of one event type, without the timestamps the journal adds. */
export type EventData<T extends JournalEventType> = Omit<Extract<JournalEvent, { type: T }>, "t" | "wall" | "type">;
