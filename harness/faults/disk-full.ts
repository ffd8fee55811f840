// disk-full: the next restore goes onto a file system too small for the data (a size-limited tmpfs
// the target mounts and always unmounts). A restore that stalls on the full file system is killed
// by the harness, which says so; a later restore after space is freed must still recover.
import { z } from "zod";
import { smallFilesystem } from "../rules/target-abilities.ts";
import { formatBytes, parseDuration, parseSize } from "../util/units.ts";
import { defineFault } from "./fault.ts";

const POLL_MS = 200;
const FULL_BYTES = 256 * 1024;

export default defineFault({
  name: "disk-full",
  description: "Restore next onto a tmpfs too small for the data; the harness kills a restore that stalls on it.",
  params: z
    .object({
      size: z
        .union([z.string(), z.number()])
        .optional()
        .describe("Size of the restore filesystem; default half the data."),
      stalledFor: z
        .string()
        .default("5s")
        .describe("A restore making no progress on a full filesystem this long is killed."),
    })
    .strict(),
  expect: ["detected"],
  needs: [smallFilesystem],
  checkParams: (p) => [
    ...(p.size !== undefined && parseSize(p.size) === undefined
      ? [{ field: "size", message: `"${p.size}" is not a size` }]
      : []),
    ...(parseDuration(p.stalledFor) === undefined
      ? [{ field: "stalledFor", message: `"${p.stalledFor}" is not a duration` }]
      : []),
  ],
  // A file system that holds the whole data never fills: the fault would test nothing.
  validate(p, ctx) {
    const size = p.size !== undefined ? parseSize(p.size) : undefined;
    const data = ctx.scenario.sizeBytes;
    if (size === undefined || data === null || size < data) return [];
    return [
      {
        field: "size",
        message:
          `a ${formatBytes(size)} file system holds the ${formatBytes(data)} of data: ` +
          "the restore would never run out of space (leave size out: half the data)",
      },
    ];
  },
  async inject(p, ctx) {
    const mount = ctx.abilities.need(smallFilesystem);
    const sizeBytes = p.size !== undefined ? parseSize(p.size)! : Math.max(1 << 20, Math.floor(ctx.sourceBytes / 2));
    const fs = await mount(sizeBytes);
    const stallMs = parseDuration(p.stalledFor)!;
    let timer: NodeJS.Timeout | undefined;
    let killedByHarness = false;
    let fullSince: number | null = null;
    return {
      effects: { restoreFilesystemBytes: sizeBytes, dataBytes: ctx.sourceBytes },
      armed: {
        on: "restore",
        stagingOn: fs,
        onToolStart(group) {
          // A tool call may start helper commands first: watch the newest one.
          clearInterval(timer);
          let busy = false;
          timer = setInterval(() => {
            if (busy) return;
            busy = true;
            void fs.usage().then(
              ({ freeBytes }) => {
                busy = false;
                if (freeBytes > FULL_BYTES) return void (fullSince = null);
                fullSince ??= Date.now();
                if (Date.now() - fullSince >= stallMs && !killedByHarness) {
                  killedByHarness = true;
                  void group.kill("SIGKILL");
                }
              },
              () => (busy = false),
            );
          }, POLL_MS);
        },
        async finish(run) {
          clearInterval(timer);
          const { freeBytes, totalBytes } = await fs.usage();
          const full = freeBytes <= FULL_BYTES;
          const effects = {
            restoreExitCode: run.exitCode,
            filesystemFull: full,
            freeBytes,
            filesystemBytes: totalBytes,
            killedByHarness,
          };
          if (killedByHarness)
            return {
              effects,
              consumedFailure: true,
              detectedBy:
                `harness: restore stalled ${p.stalledFor} on a full filesystem (${freeBytes} of ${totalBytes} ` +
                `bytes free); killed`,
            };
          return { effects };
        },
        async dispose() {
          clearInterval(timer);
          await fs.dispose();
        },
      },
    };
  },
});
