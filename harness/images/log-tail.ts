// A container's log as it arrives, in whole lines (the last 200 kept): for the lines a start waits
// for after testcontainers saw its own, and for the last lines an error message shows.
import type { Readable } from "node:stream";

const KEPT = 200;

export class LogTail {
  private readonly lines: string[] = [];
  private partial = "";

  /** testcontainers' log consumer. */
  consume(stream: Readable): void {
    stream.on("data", (d: Buffer | string) => {
      const parts = (this.partial + d.toString()).split("\n");
      this.partial = parts.pop() ?? "";
      this.lines.push(...parts.filter(Boolean));
      this.lines.splice(0, Math.max(0, this.lines.length - KEPT));
    });
  }

  /** Whole lines that `keep` accepts. */
  filter(keep: (line: string) => boolean): string[] {
    return this.lines.filter(keep);
  }

  /** The first whole line `pred` accepts, else the unfinished last one if it does. */
  find(pred: (line: string) => boolean): string | undefined {
    return this.lines.find(pred) ?? (pred(this.partial) ? this.partial : undefined);
  }

  /**
   * Waits up to `tries` x `everyMs` for a whole line that `pred` accepts: the consumer reads its own
   * stream, so a line testcontainers' wait saw may arrive here a moment later.
   */
  async until(pred: (line: string) => boolean, tries: number, everyMs: number): Promise<void> {
    for (let i = 0; i < tries && !this.lines.some(pred); i++) await new Promise((r) => setTimeout(r, everyMs));
  }

  /** `; its last log lines:` and the last `n`, indented, for an error message ("" when none came). */
  tail(n = 25): string {
    return this.lines.length > 0 ? `; its last log lines:\n  ${this.lines.slice(-n).join("\n  ")}` : "";
  }
}
