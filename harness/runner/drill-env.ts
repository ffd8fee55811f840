// What every drill of one invocation shares: the journal, the secrets, the run folder, --keep,
// Ctrl-C, the progress display, the tools' versions, the pristine datasets. What each run runs on
// and with (target, tool, size, timeout) is its plan's (RunPlan), resolved once.
import type { Journal } from "../journal/journal.ts";
import type { Progress } from "../model/progress.ts";
import type { PristineDataset } from "../targets/target.ts";
import type { SecretStore } from "../util/secrets.ts";

export interface PristineSource {
  /** The pristine copy of this dataset on this machine, made on first use (undefined: seed directly). */
  get(
    dataset: { seed: number; copyFrom?: string | undefined },
    sizeBytes: number,
  ): Promise<PristineDataset | undefined>;
}

export interface DrillEnv {
  runId: string;
  journal: Journal;
  secrets: SecretStore;
  outDir: string;
  workRoot: string;
  keep: boolean;
  signal: AbortSignal;
  progress: Progress;
  /** Filled as tools are first used: tool name -> version. */
  versions: Record<string, string>;
  pristine?: PristineSource;
}

/** One run's folders: its logs (kept), its work (the target's files, removed), its unique name. */
export interface RunFolders {
  logDir: string;
  workDir: string;
  runName: string;
}
