// kill-backup: SIGKILLs the backup's whole process group part-way (a crash or power loss), then the
// drill runs the same backup again: does the tool resume or restart, and does restore still work?
import { z } from "zod";
import { parseDuration } from "../util/units.ts";
import { defineFault } from "./fault.ts";

const POLL_MS = 25;

export default defineFault({
  name: "kill-backup",
  description: "SIGKILL the next backup when it has read a fraction of the data (or after a time), then run it again.",
  params: z
    .object({
      at: z.number().gt(0).lt(1).default(0.5).describe("Fraction of the source bytes read by the tool."),
      after: z.string().optional().describe("Kill after this long instead (e.g. 2s)."),
    })
    .strict(),
  expect: ["recovered"],
  checkParams: (p) =>
    p.after !== undefined && parseDuration(p.after) === undefined
      ? [{ field: "after", message: `"${p.after}" is not a duration` }]
      : [],
  async inject(p, ctx) {
    const threshold = Math.round(ctx.sourceBytes * p.at);
    const afterMs = p.after ? parseDuration(p.after)! : undefined;
    let timer: NodeJS.Timeout | undefined;
    let killed: { afterMs: number; readBytes: number } | null = null;
    return {
      effects: {
        armed: "next backup",
        ...(afterMs !== undefined ? { afterMs } : { atFraction: p.at, atReadBytes: threshold }),
      },
      armed: {
        on: "backup",
        onToolStart(group) {
          // A tool call may start helper commands first: watch the newest one.
          clearInterval(timer);
          const started = Date.now();
          let busy = false;
          timer = setInterval(() => {
            if (busy || killed) return;
            busy = true;
            void group.readBytes().then(
              async (read) => {
                busy = false;
                const due = afterMs !== undefined ? Date.now() - started >= afterMs : read >= threshold;
                if (!due || killed) return;
                clearInterval(timer);
                killed = { afterMs: Date.now() - started, readBytes: read };
                await group.kill("SIGKILL");
              },
              () => (busy = false),
            );
          }, POLL_MS);
        },
        async finish(run) {
          clearInterval(timer);
          if (!killed) return { effects: { killed: false, note: "the backup finished before the kill point" } };
          return {
            effects: {
              killed: true,
              killedAfterMs: killed.afterMs,
              killedAtReadBytes: killed.readBytes,
              exitCode: run.exitCode,
              signal: run.signal,
            },
            consumedFailure: true,
            retry: true,
          };
        },
        async dispose() {
          clearInterval(timer);
        },
      },
    };
  },
});
