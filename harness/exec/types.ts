// The shape of one command run: success and failure look the same (execa-style), failed ones included.

export interface CommandSpec {
  /** Short name for logs and reports, e.g. "duplicity-backup-full". */
  label: string;
  command: string;
  args: string[];
  /** Extra environment; values listed in `secretEnv` are never written anywhere. */
  env?: Record<string, string>;
  secretEnv?: string[];
  cwd?: string;
  /** Kill the whole process group after this long. */
  timeoutMs?: number;
  /** Called with the process-group leader's pid once the command started (faults watch it). */
  onSpawn?: (pid: number) => void;
  /** Called with each chunk of output as it arrives (for progress parsing). */
  onOutput?: (stream: "stdout" | "stderr", text: string) => void;
}

export interface CommandResult {
  label: string;
  /** The command line as a person would type it, secrets redacted. */
  command: string;
  exitCode: number | null;
  signal: string | null;
  failed: boolean;
  timedOut: boolean;
  interrupted: boolean;
  startedAt: string;
  startMs: number;
  endMs: number;
  durationMs: number;
  stdoutPath: string;
  stderrPath: string;
  /** The last 64 KiB of each stream, redacted, for parsing statistics and messages. */
  stdout: string;
  stderr: string;
  peakRssBytes: number | null;
  cpuMs: number | null;
}

/** Runs commands where the target's data lives (the host, or inside a container). */
export interface CommandExecutor {
  readonly where: string;
  run(spec: CommandSpec): Promise<CommandResult>;
}
