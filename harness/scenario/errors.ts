// A located problem in an input file, and the error that carries all of them at once.

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
