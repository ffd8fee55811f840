// What the runner tells the person watching: phases, bytes, elapsed. Renderers live in cli/.

export interface Progress {
  /** Whether the display shows bytes as they grow (a TTY); then the runner measures them. */
  wantsBytes?: boolean;
  runStart(label: string, index: number, total: number): void;
  phase(name: string, detail?: string): void;
  bytes(done: number, total?: number): void;
  phaseEnd(name: string, ok: boolean, durationMs: number, detail?: string): void;
  runEnd(summary: string, passed: boolean): void;
  /** Something the person must know (timings are emulated, say): shown at once, on its own line. */
  warn?(text: string): void;
  close(): void;
  /**
   * A display of its own for one of several runs going at once (--jobs), sharing the screen with the
   * others; without it they share this one.
   */
  forRun?(): Progress;
}

export const silentProgress: Progress = {
  runStart() {},
  phase() {},
  bytes() {},
  phaseEnd() {},
  runEnd() {},
  close() {},
  forRun: () => silentProgress,
};
