// Runs drdrill's agent (drdrill-agent.py) where a target's files are, through that target's executor:
// one JSON request on stdin, JSON lines back. Every file operation of a drill goes through here.
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync } from "node:fs";
import { AgentServer } from "./agent-server.ts";
import { fileURLToPath } from "node:url";
import type { CommandExecutor, ProcessHandle } from "../exec/types.ts";

/** The agent's source in this checkout (targets copy it where their commands run). */
export const AGENT_SOURCE = fileURLToPath(new URL("./drdrill-agent.py", import.meta.url));

/** The system's Python on this machine: a version manager's shim on PATH costs ~0.5 s a start. */
export const LOCAL_PYTHON = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

export interface AgentOptions {
  exec: CommandExecutor;
  /** The agent script's path as the executor sees it. */
  script: string;
  /** The Python interpreter there; default python3. */
  python?: string;
  /** Bound on one call (a manifest of a big tree takes a while); default 30 min. */
  timeoutMs?: number;
  /** Starts a long-lived agent (`--serve`) where the files are: most calls then skip starting Python. */
  serve?: () => ChildProcessWithoutNullStreams;
}

/** The agent refused a path (it leaves the root) or failed; `refused` tells which. */
export class AgentError extends Error {
  override name = "AgentError";
  constructor(
    message: string,
    readonly refused: boolean,
  ) {
    super(message);
  }
}

export interface CallOptions {
  /** Every line before the final answer, parsed. */
  onLine?: (line: Record<string, unknown>) => void;
  onSpawn?: (group: ProcessHandle) => void;
  timeoutMs?: number;
}

export class Agent {
  readonly #server: AgentServer | null;

  constructor(readonly opts: AgentOptions) {
    this.#server = opts.serve ? new AgentServer(opts.serve) : null;
  }

  /** Ends the long-lived agent, if one runs. */
  close(): void {
    this.#server?.close();
  }

  get where(): string {
    return this.opts.exec.where;
  }

  async call<T>(op: string, request: Record<string, unknown>, call: CallOptions = {}): Promise<T> {
    // A call that must be watched (a long mutation) runs on its own; the rest go to the server.
    if (this.#server && !call.onSpawn) {
      const answer = (await this.#server.request(
        { op, ...request },
        (l) => call.onLine?.(l),
        call.timeoutMs ?? this.opts.timeoutMs ?? 30 * 60_000,
      )) as { ok: boolean; result?: T; error?: string; refused?: boolean };
      if (answer.ok) return answer.result as T;
      throw new AgentError(`${op}: ${answer.error}`, Boolean(answer.refused));
    }
    let pending = "";
    let final: { ok: boolean; result?: T; error?: string; refused?: boolean } | null = null;
    const take = (line: string) => {
      if (!line) return;
      let obj: Record<string, unknown>;
      try {
        obj = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      if ("ok" in obj) final = obj as typeof final;
      else call.onLine?.(obj);
    };
    const run = await this.opts.exec.run({
      label: `agent-${op}`,
      command: this.opts.python ?? "python3",
      // Isolated (no environment, no user site), no .pyc files, no site module: the standard library only.
      args: ["-I", "-B", "-S", this.opts.script],
      input: `${JSON.stringify({ op, ...request })}\n`,
      log: false,
      timeoutMs: call.timeoutMs ?? this.opts.timeoutMs ?? 30 * 60_000,
      ...(call.onSpawn ? { onSpawn: call.onSpawn } : {}),
      onOutput: (stream, text) => {
        if (stream !== "stdout") return;
        const lines = (pending + text).split("\n");
        pending = lines.pop() ?? "";
        for (const l of lines) take(l);
      },
    });
    take(pending);
    const answer = final as { ok: boolean; result?: T; error?: string; refused?: boolean } | null;
    if (answer?.ok) return answer.result as T;
    if (answer) throw new AgentError(`${op}: ${answer.error}`, Boolean(answer.refused));
    const why = run.notStarted
      ? run.message
      : run.timedOut
        ? "timed out"
        : run.stderr.trim().split("\n").slice(-3).join(" / ") || `exit ${run.exitCode}`;
    throw new AgentError(`${op} on ${this.where}: the agent gave no answer (${why})`, false);
  }
}
