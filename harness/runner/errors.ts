// Errors that decide the exit code: the environment is missing something (3), or the run was interrupted (130).

export class EnvironmentError extends Error {
  override name = "EnvironmentError";
}

export class InterruptedError extends Error {
  override name = "InterruptedError";
  constructor(readonly signal: string) {
    super(`interrupted by ${signal}`);
  }
}
