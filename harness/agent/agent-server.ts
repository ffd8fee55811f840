// One long-lived agent process (`drdrill-agent.py --serve`) for many operations: requests go in one
// per line, answers come back as the same JSON lines a one-shot run prints. It ends when its stdin
// closes, so it dies with drdrill, also when drdrill is killed hard.
import type { ChildProcessWithoutNullStreams } from "node:child_process";

interface Pending {
  line: string;
  onLine: (obj: Record<string, unknown>) => void;
  resolve: (final: Record<string, unknown>) => void;
  reject: (e: Error) => void;
  timeoutMs: number;
}

export class AgentServer {
  #child: ChildProcessWithoutNullStreams | null = null;
  #queue: Pending[] = [];
  #busy: Pending | null = null;
  #buf = "";
  #stderr = "";
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly spawnServer: () => ChildProcessWithoutNullStreams) {}

  /** `line`: one request, a JSON line (protocol.ts's requestLine). */
  request(
    line: string,
    onLine: (obj: Record<string, unknown>) => void,
    timeoutMs: number,
  ): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ line, onLine, resolve, reject, timeoutMs });
      this.#next();
    });
  }

  #start(): ChildProcessWithoutNullStreams {
    const child = this.spawnServer();
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (d: string) => this.#data(d));
    child.stderr.on("data", (d: string) => (this.#stderr = (this.#stderr + d).slice(-4000)));
    child.on("exit", (code, signal) => {
      if (this.#child === child) this.#child = null;
      const p = this.#busy;
      this.#busy = null;
      clearTimeout(this.#timer);
      p?.reject(
        new Error(
          `the agent ended (${signal ?? `exit ${code}`}): ${this.#stderr.trim().split("\n").slice(-3).join(" / ")}`,
        ),
      );
      this.#next();
    });
    child.on("error", () => {});
    child.stdin.on("error", () => {});
    return child;
  }

  /** While a request is in flight it keeps drdrill waiting; idle, it must never keep drdrill alive. */
  #hold(child: ChildProcessWithoutNullStreams, busy: boolean): void {
    const streams = [child.stdout, child.stderr, child.stdin] as unknown as { ref?: () => void; unref?: () => void }[];
    if (busy) {
      child.ref();
      for (const s of streams) s.ref?.();
    } else {
      child.unref();
      for (const s of streams) s.unref?.();
    }
  }

  #next(): void {
    if (this.#busy) return;
    if (this.#queue.length === 0) {
      if (this.#child) this.#hold(this.#child, false);
      return;
    }
    const p = this.#queue.shift()!;
    this.#busy = p;
    this.#child ??= this.#start();
    this.#hold(this.#child, true);
    this.#timer = setTimeout(() => this.#child?.kill("SIGKILL"), p.timeoutMs);
    this.#child.stdin.write(p.line);
  }

  #data(text: string): void {
    const lines = (this.#buf + text).split("\n");
    this.#buf = lines.pop() ?? "";
    for (const line of lines) {
      if (!line || !this.#busy) continue;
      let obj: Record<string, unknown>;
      try {
        obj = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue;
      }
      if (!("ok" in obj)) {
        this.#busy.onLine(obj);
        continue;
      }
      const p = this.#busy;
      this.#busy = null;
      clearTimeout(this.#timer);
      p.resolve(obj);
      this.#next();
    }
  }

  close(): void {
    this.#child?.stdin.end();
    this.#child = null;
  }
}
