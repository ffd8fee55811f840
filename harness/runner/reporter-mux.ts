// Calls every reporter; one broken reporter is reported, never aborts the run (as Playwright's multiplexer).
import type { Reporter } from "../model/reporter.ts";
import type { RunResult } from "../model/result.ts";
import type { ResultsFile } from "../model/results-file.ts";

export type { Reporter };

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
