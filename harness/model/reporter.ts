// The reporter plug-in interface: optional hooks, each reporter one file, called through a multiplexer.
import type { RunResult } from "./result.ts";
import type { ResultsFile } from "./results-file.ts";

export interface Reporter {
  name: string;
  onRunEnd?(result: RunResult): void | Promise<void>;
  /** Renders the finished run; returns the path written, if any. */
  onEnd?(results: ResultsFile, outDir: string): Promise<string | void> | string | void;
}

/** Calls every reporter; one broken reporter is reported, never aborts the run. */
export class ReporterMux {
  readonly errors: string[] = [];
  readonly written: string[] = [];

  constructor(private readonly reporters: Reporter[]) {}

  async onRunEnd(result: RunResult): Promise<void> {
    for (const r of this.reporters) {
      try {
        await r.onRunEnd?.(result);
      } catch (e) {
        this.errors.push(`reporter ${r.name}: ${(e as Error).message}`);
      }
    }
  }

  async onEnd(results: ResultsFile, outDir: string): Promise<void> {
    for (const r of this.reporters) {
      try {
        const path = await r.onEnd?.(results, outDir);
        if (path) this.written.push(path);
      } catch (e) {
        this.errors.push(`reporter ${r.name}: ${(e as Error).message}`);
      }
    }
  }
}
