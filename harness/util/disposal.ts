// One stack of cleanups for a drill: each thing stood up pushes how to take it down; at the end they
// all run, newest first, whatever happened (an error, Ctrl-C), and a failing one does not stop the rest.

export class DisposalStack {
  readonly #stack: { what: string; fn: () => Promise<void> }[] = [];
  readonly failures: string[] = [];

  defer(what: string, fn: () => Promise<void>): void {
    this.#stack.push({ what, fn });
  }

  async dispose(): Promise<boolean> {
    while (this.#stack.length > 0) {
      const { what, fn } = this.#stack.pop()!;
      try {
        await fn();
      } catch (e) {
        this.failures.push(`${what}: ${(e as Error).message}`);
      }
    }
    return this.failures.length === 0;
  }
}
