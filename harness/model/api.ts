// What `import ... from "drdrill"` offers: the types a custom reporter (`--reporter PATH`, a module whose
// default export is a Reporter) and a script reading results.json are written against, and the exit codes.
export type { Reporter } from "./reporter.ts";
export type { ResultsFile, Environment, WarmupRun } from "./results-file.ts";
export type { RunResult, ObjectiveResult, Phase, RunVerification, FaultRecord, ToolCallRecord } from "./result.ts";
export type { Outcome } from "./outcome.ts";
export type { Metrics, MetricKey } from "./metrics.ts";
export { OUTCOMES } from "./outcome.ts";
export { EXIT, type ExitCode } from "./exit-codes.ts";
export { SCHEMA_VERSION } from "./results-file.ts";
import type { Reporter } from "./reporter.ts";

/** Types a reporter module's default export: `export default defineReporter({ name: "x", onEnd(r, dir) {...} })`. */
export const defineReporter = (r: Reporter): Reporter => r;
