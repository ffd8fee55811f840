// disk-full: the next restore goes onto a filesystem too small for the data (a size-limited tmpfs the
// harness mounts and always unmounts). A restore that stalls on the full filesystem is killed by the
// harness, which says so; a later restore after space is freed must still recover.
import { mkdir, rm, statfs } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { z } from "zod";
import { parseDuration, parseSize } from "../util/units.ts";
import { defineFault } from "./fault.ts";

const POLL_MS = 200;
const FULL_BYTES = 256 * 1024;

async function freeBytes(dir: string): Promise<{ free: number; total: number }> {
  const s = await statfs(dir);
  return { free: s.bavail * s.bsize, total: s.blocks * s.bsize };
}

export default defineFault({
  name: "disk-full",
  description: "Restore next onto a tmpfs too small for the data; the harness kills a restore that stalls on it.",
  params: z
    .object({
      size: z.union([z.string(), z.number()]).optional().describe("Size of the restore filesystem; default half the data."),
      stalledFor: z.string().default("5s").describe("A restore making no progress on a full filesystem this long is killed."),
    })
    .strict(),
  expect: ["detected"],
  validate: (p) => [
    ...(p.size !== undefined && parseSize(p.size) === undefined ? [{ field: "size", message: `"${p.size}" is not a size` }] : []),
    ...(parseDuration(p.stalledFor) === undefined ? [{ field: "stalledFor", message: `"${p.stalledFor}" is not a duration` }] : []),
  ],
  async inject(p, ctx) {
    if (process.getuid?.() !== 0) throw new Error("disk-full needs root to mount a size-limited tmpfs");
    const sizeBytes = p.size !== undefined ? parseSize(p.size)! : Math.max(1 << 20, Math.floor(ctx.sourceBytes / 2));
    const mnt = join(ctx.workDir, "small-fs");
    await mkdir(mnt, { recursive: true });
    await execa("mount", ["-t", "tmpfs", "-o", `size=${Math.ceil(sizeBytes / 4096) * 4096},mode=0755`, "drdrill-disk-full", mnt]);
    let mounted = true;
    const stallMs = parseDuration(p.stalledFor)!;
    let timer: NodeJS.Timeout | undefined;
    let killedByHarness = false;
    let fullSince: number | null = null;
    const unmount = async () => {
      clearInterval(timer);
      if (!mounted) return;
      await execa("umount", ["-l", mnt], { reject: false });
      mounted = false;
      await rm(mnt, { recursive: true, force: true });
    };
    return {
      effects: { restoreFilesystemBytes: sizeBytes, dataBytes: ctx.sourceBytes },
      armed: {
        on: "restore",
        stagingParent: mnt,
        onToolStart(group) {
          // A tool call may start helper commands first: watch the newest one.
          clearInterval(timer);
          timer = setInterval(() => {
            void freeBytes(mnt).then(({ free }) => {
              if (free > FULL_BYTES) return void (fullSince = null);
              fullSince ??= Date.now();
              if (Date.now() - fullSince >= stallMs && !killedByHarness) {
                killedByHarness = true;
                void group.kill("SIGKILL");
              }
            }, () => {});
          }, POLL_MS);
        },
        async finish(run) {
          clearInterval(timer);
          const { free, total } = await freeBytes(mnt);
          const full = free <= FULL_BYTES;
          const effects = { restoreExitCode: run.exitCode, filesystemFull: full, freeBytes: free, filesystemBytes: total, killedByHarness };
          if (killedByHarness) return { effects, consumedFailure: true, detectedBy: `harness: restore stalled ${p.stalledFor} on a full filesystem (${free} of ${total} bytes free); killed` };
          return { effects };
        },
        dispose: unmount,
      },
    };
  },
});
