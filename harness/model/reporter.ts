// The reporter plug-in interface: optional hooks, each reporter one file (reports/), called through a multiplexer
// (runner/reporter-mux.ts).
import type { RunResult } from "./result.ts";
import type { ResultsFile } from "./results-file.ts";

export interface Reporter {
  name: string;
  onRunEnd?(result: RunResult): void | Promise<void>;
  /** Renders the finished run; returns the path written, if any. */
  onEnd?(results: ResultsFile, outDir: string): Promise<string | void> | string | void;
}
