// restic 0.14 adapter: content-addressed, encrypted repository; snapshots chosen by time for --at restores.
import { z } from "zod";
import type { CommandSpec } from "../exec/types.ts";
import { notRun, probeVersion, runTool } from "./run-tool.ts";
import { pickBackup } from "./pick-backup.ts";
import { parseResticProgress, parseResticSnapshots, parseResticSummary, resticSnapshotId } from "./restic-output.ts";
import { defineTool, type ToolContext, type ToolRun } from "./tool.ts";
import { refusedArgs, toolArgs, type RefusedOption } from "./tool-args.ts";
import { urlPasswords } from "../util/url-secret.ts";

const settings = z
  .object({
    passphrase: z
      .object({ env: z.string().min(1) })
      .strict()
      .default({ env: "DRDRILL_PASSPHRASE" }),
    // restic 0.14 compresses with zstd in repository format 2 (its default); "off" stores data as is.
    compression: z
      .enum(["auto", "off", "max"])
      .default("auto")
      .describe("zstd level in repository format 2: auto (fast), max, or off."),
    args: toolArgs,
  })
  .strict();

type Settings = z.infer<typeof settings>;

/** What drdrill sets itself: the repository, its password (in the environment), the cache, the restore's folder. */
const REFUSED: RefusedOption[] = [
  { names: ["--repo", "-r", "--repository-file"], why: "the repository is drdrill's (destination:, site:)" },
  { names: ["--password-file", "-p", "--password-command"], why: "the password is the setting passphrase:" },
  { names: ["--cache-dir", "--no-cache"], why: "drdrill keeps restic's cache in the run's work folder" },
  { names: ["--target", "-t"], why: "drdrill restores into a folder it made and compares" },
];

const STALE_LOCK = /repository is already locked|unable to create lock/i;

/** The repository: a folder, or restic's own sftp: backend on a secondary site (through the system's ssh). */
function repoArgs(ctx: ToolContext): string[] {
  const e = ctx.site;
  if (!e) return urlPasswords(ctx.repoDir).length > 0 ? [] : ["--repo", ctx.repoDir];
  return [
    "--repo",
    `sftp:${e.user}@${e.host}:${e.path}`,
    "-o",
    `sftp.command=${e.sshCommand} ${e.user}@${e.host} -s sftp`,
  ];
}

/** A repository URL holding a password (rest:https://user:pw@host/repo) goes in the environment, not on argv. */
function repoEnv(ctx: ToolContext): Record<string, string> {
  return !ctx.site && urlPasswords(ctx.repoDir).length > 0 ? { RESTIC_REPOSITORY: ctx.repoDir } : {};
}

function spec(
  s: Settings,
  ctx: ToolContext,
  label: string,
  args: string[],
  extra: Partial<CommandSpec> = {},
): Omit<CommandSpec, "timeoutMs"> {
  return {
    label,
    command: "restic",
    args: [...repoArgs(ctx), "--cache-dir", `${ctx.workDir}/restic-cache`, "--compression", s.compression, ...args],
    env: { RESTIC_PASSWORD: ctx.passphrase(), ...repoEnv(ctx) },
    secretEnv: ["RESTIC_PASSWORD", ...Object.keys(repoEnv(ctx))],
    ...extra,
  };
}

/**
 * Runs a command; if a stale lock blocks it (a killed restic leaves one), `restic unlock` removes locks
 * whose process is gone and the command runs once more. The retry says so in its message.
 */
async function withUnlock(
  s: Settings,
  ctx: ToolContext,
  cmd: Omit<CommandSpec, "timeoutMs">,
  parse?: (o: string) => Record<string, number> | undefined,
): Promise<ToolRun> {
  const first = await runTool(ctx, cmd, parse);
  if (!first.failed || first.timedOut || !STALE_LOCK.test(first.stderr)) return first;
  const unlock = await runTool(ctx, spec(s, ctx, "restic-unlock", ["unlock"]));
  if (unlock.failed) return first;
  const again = await runTool(ctx, { ...cmd, label: `${cmd.label}-after-unlock` }, parse);
  return {
    ...again,
    message: again.message ?? `stale lock removed with restic unlock (${first.message ?? "locked"}); retried`,
  };
}

export default defineTool({
  name: "restic",
  description: "restic 0.14: deduplicated, encrypted snapshots (repository format 2, zstd).",
  binaries: ["restic"],
  install: "apt-get install restic",
  settings,
  fidelity: { mtimePrecisionMs: 0, symlinkMtime: true, hardlinks: true, xattrs: true },
  capabilities: {
    incremental: true,
    pointInTime: true,
    selfContainedBackups: true,
    encryption: () => ({
      encrypted: true,
      secretSetting: "passphrase",
      how: "always: AES-256 with a key stored in keys/, sealed by the passphrase",
    }),
    dataFiles: /^data\/[0-9a-f]{2}\/[0-9a-f]{64}$/,
    async loseKey(repo) {
      const { files } = await repo.list("keys");
      const gone = await repo.delete(files.map((f) => f.path));
      return { effects: { removed: files.map((f) => f.path), refused: gone.refused } };
    },
    sampledCheck: "restic check --read-data-subset=N%: a random N % of the packs read and verified",
    staleLock: "restic unlock removes locks of dead processes, then the call runs once more",
    site: { how: "restic's sftp: backend, through the system's ssh", appendOnly: "write-once" },
    eraseAll: "restic forget --prune of every snapshot",
    restoreTest: {
      readOnly: "--no-lock on snapshots and restore (no lock written; a stale lock is never removed)",
      verifies: "restore --verify: every restored file read back and checked against the snapshot",
    },
  },
  validate: (s) => refusedArgs("restic", s.args, REFUSED),
  version: (exec) => probeVersion(exec, "restic", ["version"], /restic\s+([\w.+-]+)/),
  open(s, ctx) {
    return {
      init() {
        return runTool(ctx, spec(s, ctx, "restic-init", ["init"]));
      },
      async backup(kind, sourceDir) {
        // "." from inside the source keeps the snapshot's paths relative, so a restore lands in the target itself.
        // restic decides full or incremental by itself (a parent snapshot); `kind` only names the call.
        const onOutput = (stream: "stdout" | "stderr", text: string) => {
          const p = stream === "stdout" ? parseResticProgress(text) : undefined;
          if (p) ctx.onProgress?.(p);
        };
        const run = await withUnlock(
          s,
          ctx,
          spec(s, ctx, `restic-backup-${kind}`, ["backup", "--json", "--tag", kind, ...s.args.backup, "."], {
            cwd: sourceDir,
            onOutput,
          }),
          parseResticSummary,
        );
        const id = run.failed ? undefined : resticSnapshotId(run.stdout);
        return id ? { ...run, backupId: id } : run;
      },
      async points() {
        const run = await runTool(ctx, spec(s, ctx, "restic-snapshots", ["--no-lock", "snapshots", "--json"]));
        if (run.failed) return { run, points: [] };
        const points = parseResticSnapshots(run.stdout)
          .map((x) => ({ id: x.id, timeMs: x.timeMs }))
          .sort((a, b) => a.timeMs - b.timeMs);
        return { run, points };
      },
      async restore(destDir, opts) {
        if (opts?.readOnly) {
          const { id } = opts.readOnly;
          const args = ["--no-lock", "restore", id, "--target", destDir, "--verify", ...s.args.restore];
          const run = await runTool(ctx, spec(s, ctx, "restic-restore", args));
          return { ...run, backupId: id };
        }
        let snapshot = "latest";
        if (opts?.at) {
          const list = await runTool(ctx, spec(s, ctx, "restic-snapshots", ["snapshots", "--json"]));
          if (list.failed) return list;
          const picked = pickBackup(parseResticSnapshots(list.stdout), opts.at);
          if (!picked) return notRun("restic-restore", `restic: no snapshot at or before ${opts.at} in the repository`);
          snapshot = picked.id;
        }
        const run = await withUnlock(
          s,
          ctx,
          spec(s, ctx, "restic-restore", ["restore", snapshot, "--target", destDir, ...s.args.restore]),
        );
        return { ...run, backupId: snapshot };
      },
      check(deep, _sourceDir, opts) {
        const pct = opts?.samplePercent;
        const [label, args] =
          pct !== undefined
            ? ["restic-check-read-data-subset", ["check", `--read-data-subset=${pct}%`]]
            : deep
              ? ["restic-check-read-data", ["check", "--read-data"]]
              : ["restic-check", ["check"]];
        return withUnlock(s, ctx, spec(s, ctx, label, args));
      },
      list() {
        return runTool(ctx, spec(s, ctx, "restic-snapshots", ["snapshots"]));
      },
      async eraseAll() {
        const list = await runTool(ctx, spec(s, ctx, "restic-snapshots", ["snapshots", "--json"]));
        if (list.failed) return [list];
        const ids = parseResticSnapshots(list.stdout).map((x) => x.id);
        if (ids.length === 0) return [list];
        return [list, await runTool(ctx, spec(s, ctx, "restic-forget-prune", ["forget", "--prune", ...ids]))];
      },
    };
  },
});
