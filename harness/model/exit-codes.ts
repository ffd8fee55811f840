// drdrill's exit codes, in one table (docs/command-line.md, "Exit codes"): what a shell or CI job reads
// of an invocation. Each code has one meaning across commands; when several apply, the first in ORDER wins.
export const EXIT = {
  ok: 0,
  failed: 1,
  input: 2,
  environment: 3,
  objective: 4,
  regression: 5,
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface ExitCodeRow {
  code: ExitCode;
  name: keyof typeof EXIT;
  /** What it means for `run` and `merge` (and the commands that run nothing: validate, plan, report). */
  run: string;
  /** What it means for `compare BASE NEW`. */
  compare: string;
}

/** The table, in the order a CI user reads it; docs/command-line.md's "Exit codes" table is checked against it. */
export const EXIT_TABLE: readonly ExitCodeRow[] = [
  { code: EXIT.ok, name: "ok", run: "every run passed", compare: "nothing got worse" },
  {
    code: EXIT.failed,
    name: "failed",
    run: "a drill failed its expectation: an outcome not among the expected ones, or silent corruption",
    compare: "more runs of a drill fail their expectation than in the base",
  },
  {
    code: EXIT.input,
    name: "input",
    run: "invalid input (a scenario, an argument, a run folder): nothing was run",
    compare: "invalid input; nothing in common between the two folders; with `--require-all`, a drill in only one",
  },
  {
    code: EXIT.environment,
    name: "environment",
    run: "a run could not run (a tool missing, Docker unreachable, a kernel feature missing), even beside failed runs",
    compare: "more runs of a drill could not run than in the base: nothing to compare them by",
  },
  {
    code: EXIT.objective,
    name: "objective",
    run: "every outcome as expected, but an objective was missed",
    compare: "more runs of a drill miss an objective than in the base",
  },
  {
    code: EXIT.regression,
    name: "regression",
    run: "(not used)",
    compare: "a metric got worse beyond its noise and its minimum effect, or an older recovery point was restored",
  },
  {
    code: EXIT.interrupted,
    name: "interrupted",
    run:
      "interrupted (SIGINT, SIGTERM); cleanup ran: processes killed, mounts undone, containers and VMs removed, " +
      "firewall rules deleted, journal closed",
    compare: "interrupted",
  },
];

/** When several codes apply, the first of these wins (`run`: environment over failed over objective). */
export const EXIT_ORDER: readonly ExitCode[] = [
  EXIT.interrupted,
  EXIT.input,
  EXIT.environment,
  EXIT.failed,
  EXIT.objective,
  EXIT.regression,
  EXIT.ok,
];

/** The code that wins among several. */
export function worstExit(codes: readonly number[]): ExitCode {
  return EXIT_ORDER.find((c) => codes.includes(c)) ?? EXIT.ok;
}
