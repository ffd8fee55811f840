// What every drill of one invocation shares: the journal, the secrets, the run folder, the options
// from the command line, Ctrl-C, the progress display, the tools' versions, the pristine datasets.
import type { Journal } from "../journal/journal.ts";
import type { Progress } from "../model/progress.ts";
import type { PristineDataset, Target } from "../targets/target.ts";
import type { ToolAdapter } from "../tools/tool.ts";
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
  /** From --target; when absent the scenario's `target`, else local. */
  targetName?: string;
  /** --target-setting: per target, over the scenario's targetSettings. */
  targetSettings?: Record<string, Record<string, unknown>>;
  sizeBytes?: number;
  timeoutMs?: number;
  keep: boolean;
  signal: AbortSignal;
  progress: Progress;
  /** Filled as tools are first used: tool name -> version. */
  versions: Record<string, string>;
  pristine?: PristineSource;
  /** Targets and tools beyond the registries (a plug-in; the runner's own tests use fakes). */
  extra?: { targets?: Record<string, Target>; tools?: Record<string, ToolAdapter<any>> };
}
