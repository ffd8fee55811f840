// drdrill's exit codes, in one table (docs/command-line.md): what a shell or CI job reads of an invocation.
export const EXIT = { ok: 0, failed: 1, input: 2, environment: 3, interrupted: 130 } as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
