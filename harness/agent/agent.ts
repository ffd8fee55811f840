// Runs drdrill's agent (drdrill-agent.py) where a target's files are, through that target's executor:
// one JSON request on stdin, JSON lines back, each request and answer as the protocol's table says.
// Every file operation of a drill goes through here.
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync } from "node:fs";
import { AgentServer } from "./agent-server.ts";
import type { CommandExecutor, ProcessHandle } from "../exec/types.ts";
import {
  type AgentAnswer,
  type AgentLine,
  type AgentOp,
  type AgentParams,
  parseAnswer,
  requestLine,
} from "./protocol.ts";

export { agentScript, agentSource } from "./agent-script.ts";

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

export interface CallOptions<K extends AgentOp = AgentOp> {
  /** Every line before the final answer, parsed. */
  onLine?: (line: AgentLine<K>) => void;
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

  /** One request of the protocol's table; its answer checked against the table before it is returned. */
  async call<K extends AgentOp>(op: K, params: AgentParams<K>, call: CallOptions<K> = {}): Promise<AgentAnswer<K>> {
    const input = requestLine(op, params);
    const onLine = (l: Record<string, unknown>) => call.onLine?.(l as AgentLine<K>);
    const timeoutMs = call.timeoutMs ?? this.opts.timeoutMs ?? 30 * 60_000;
    // A call that must be watched (a long mutation) runs on its own; the rest go to the server.
    if (this.#server && !call.onSpawn) return this.#answer(op, await this.#server.request(input, onLine, timeoutMs));
    let pending = "";
    let final: Record<string, unknown> | null = null;
    const take = (line: string) => {
      if (!line) return;
      let obj: Record<string, unknown>;
      try {
        obj = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      if ("ok" in obj) final = obj;
      else onLine(obj);
    };
    const run = await this.opts.exec.run({
      label: `agent-${op}`,
      command: this.opts.python ?? "python3",
      // Isolated (no environment, no user site), no .pyc files, no site module: the standard library only.
      args: ["-I", "-B", "-S", this.opts.script],
      input,
      log: false,
      timeoutMs,
      ...(call.onSpawn ? { onSpawn: call.onSpawn } : {}),
      onOutput: (stream, text) => {
        if (stream !== "stdout") return;
        const lines = (pending + text).split("\n");
        pending = lines.pop() ?? "";
        for (const l of lines) take(l);
      },
    });
    take(pending);
    if (final) return this.#answer(op, final);
    const why = run.notStarted
      ? run.message
      : run.timedOut
        ? "timed out"
        : run.stderr.trim().split("\n").slice(-3).join(" / ") || `exit ${run.exitCode}`;
    throw new AgentError(`${op} on ${this.where}: the agent gave no answer (${why})`, false);
  }

  #answer<K extends AgentOp>(op: K, answer: Record<string, unknown>): AgentAnswer<K> {
    if (answer.ok === true)
      try {
        return parseAnswer(op, answer.result);
      } catch (e) {
        throw new AgentError(`${(e as Error).message} (from ${this.where})`, false);
      }
    throw new AgentError(`${op}: ${String(answer.error)}`, answer.refused === true);
  }
}
