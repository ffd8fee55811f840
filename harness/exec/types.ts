// The shape of one command run: success and failure look the same (execa-style), failed ones included.

/** A started command's process group, wherever it runs (this host, a container, a host over SSH). */
export interface ProcessHandle {
  /** The group leader's pid as seen where the command runs. */
  readonly pid: number;
  /** Its pid on this machine when it runs here (also inside a local container); absent over SSH. */
  readonly hostPid?: number;
  /** Signals every process of the group. */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** The most bytes any one process of the group has read so far (/proc/PID/io rchar): how far a backup got. */
  readBytes(): Promise<number>;
}

export interface CommandSpec {
  /** Short name for logs and reports, e.g. "duplicity-backup-full". */
  label: string;
  command: string;
  args: string[];
  /** Extra environment; values listed in `secretEnv` are never written anywhere, nor put on a command line. */
  env?: Record<string, string>;
  secretEnv?: string[];
  cwd?: string;
  /** Written to the command's standard input, then closed (default: no input). */
  input?: string;
  /** Kill the whole process group after this long. */
  timeoutMs?: number;
  /** false: no log files for this call (the harness's own helper calls); default true. */
  log?: boolean;
  /** Called once the command started, with its process group (faults watch or kill it). */
  onSpawn?: (group: ProcessHandle) => void;
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
  /** The command never started (the program is missing, the connection is down); `message` says why. */
  notStarted?: boolean;
  message?: string;
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
  /**
   * Bytes the call's process tree read (/proc/PID/io rchar of its reaped processes, page cache included);
   * absent where the executor cannot say (a container, a host over SSH).
   */
  readBytes?: number;
}

/** Runs commands where the target's data lives (the host, inside a container, on a host over SSH). */
export interface CommandExecutor {
  /** Where commands run, for messages: "local", "lab container drdrill-lab-...", "ssh root@host". */
  readonly where: string;
  run(spec: CommandSpec): Promise<CommandResult>;
}
