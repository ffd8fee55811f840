// The errors that decide an exit code: invalid input (2, nothing ran), the environment (3), an interrupt (130).

export interface InputIssue {
  file: string;
  line: number;
  column: number;
  /** Dotted field path, e.g. steps[2].fault.delete-path.path */
  path: string;
  message: string;
}

export function formatIssue(i: InputIssue): string {
  return `${i.file}:${i.line}:${i.column}: ${i.path ? `${i.path}: ` : ""}${i.message}`;
}

/** Invalid input: nothing was run. Exit code 2. */
export class InputError extends Error {
  constructor(readonly issues: InputIssue[]) {
    super(issues.map(formatIssue).join("\n"));
    this.name = "InputError";
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

/** Something the drill needs is missing where it runs (a tool, Docker, KVM): not a verdict on the tool. Exit code 3. */
export class EnvironmentError extends Error {
  override name = "EnvironmentError";
}

/** Ctrl-C or SIGTERM: cleanup ran. Exit code 130. */
export class InterruptedError extends Error {
  override name = "InterruptedError";
  constructor(readonly signal: string) {
    super(`interrupted by ${signal}`);
  }
}
