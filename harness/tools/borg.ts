// borg 1.2 adapter: deduplicated archives with lz4/zstd compression; paths stored relative to the source.
import { z } from "zod";
import type { CommandSpec } from "../exec/types.ts";
import { borgArchiveName, borgLogMessage, parseBorgCreate, parseBorgList } from "./borg-output.ts";
import { pickBackup } from "./pick-backup.ts";
import { notRun, probeVersion, runTool } from "./run-tool.ts";
import type { ConfinedDir } from "../agent/confined-dir.ts";
import { defineTool, type ToolContext, type ToolRun } from "./tool.ts";
import { refusedArgs, toolArgs, type RefusedOption } from "./tool-args.ts";

const settings = z
  .object({
    encryption: z
      .enum(["repokey-blake2", "repokey", "none"])
      .default("repokey-blake2")
      .describe("borg init --encryption mode."),
    passphrase: z
      .object({ env: z.string().min(1) })
      .strict()
      .default({ env: "DRDRILL_PASSPHRASE" }),
    compression: z
      .enum(["lz4", "zstd", "none"])
      .default("lz4")
      .describe("borg create --compression (zstd at its default level 3)."),
    args: toolArgs,
  })
  .strict();

type Settings = z.infer<typeof settings>;

/** What drdrill sets itself: the repository and archive (positional), and the compression setting. */
const REFUSED: RefusedOption[] = [
  { names: [], pattern: /::|^ssh:\/\//, why: "the repository is drdrill's (destination:, site:)" },
  { names: ["--compression", "-C"], why: "compression is the setting compression:" },
];

// A lock borg could not take (another host's, or one it could not prove stale) makes it give up after --lock-wait.
const LOCKED = /LockTimeout|Failed to create\/acquire the lock|lock.*(timeout|held)/i;

/** The repository: a folder, or ssh://user@site/path served by `borg serve` on a secondary site. */
function repoOf(ctx: ToolContext): string {
  const e = ctx.site;
  return e ? `ssh://${e.user}@${e.host}:${e.port}${e.path}` : ctx.repoDir;
}

function env(s: Settings, ctx: ToolContext): Pick<CommandSpec, "env" | "secretEnv"> {
  const base: Record<string, string> = {
    ...(ctx.site ? { BORG_RSH: ctx.site.sshCommand } : {}),
    // Cache, keys' security records and config per run, never the user's ~/.cache/borg.
    BORG_BASE_DIR: `${ctx.workDir}/borg`,
    // A restore on a "new host" sees the repository at another path, or an unencrypted one it never saw.
    BORG_RELOCATED_REPO_ACCESS_IS_OK: "yes",
    BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK: "yes",
  };
  if (s.encryption === "none") return { env: base, secretEnv: [] };
  return { env: { ...base, BORG_PASSPHRASE: ctx.passphrase() }, secretEnv: ["BORG_PASSPHRASE"] };
}

/**
 * borg's documented recovery after an attack on an append-only repository: find the last transaction
 * before the attack in the repository's `transactions` log, remove the segment files written after
 * it and the (always expendable) hints, index and integrity files. The client's cache must go too.
 */
async function undoBorgErase(repo: ConfinedDir, attackWallMs: number): Promise<Record<string, unknown>> {
  const log = (await repo.read("transactions"))?.toString("utf8");
  if (!log)
    return {
      undone: false,
      why: "no transaction log in the repository (it was not in append-only mode): nothing to roll back",
    };
  const txs = [...log.matchAll(/^transaction (\d+), UTC time (\S+)$/gm)].map((m) => ({
    id: Number(m[1]),
    wallMs: Date.parse(`${m[2]!.slice(0, 23)}Z`),
  }));
  const good = txs.filter((t) => t.wallMs < attackWallMs).at(-1);
  if (!good) return { undone: false, why: "no transaction before the attack in the log" };
  const { files } = await repo.list(".");
  const segments = files.filter((f) => /^data\/\d+\/\d+$/.test(f.path) && Number(f.path.split("/").pop()) > good.id);
  const indexes = files.filter((f) => /^(hints|index|integrity)\.\d+$/.test(f.path));
  await repo.delete([...segments, ...indexes].map((f) => f.path));
  return {
    undone: true,
    rolledBackTo: `transaction ${good.id}`,
    transactionsAfter: txs.filter((t) => t.id > good.id).map((t) => t.id),
    segmentsRemoved: segments.length,
    indexFilesRemoved: indexes.length,
  };
}

/** Runs one borg command with --log-json, and takes its message from the JSON log when it failed. */
async function borg(
  s: Settings,
  ctx: ToolContext,
  label: string,
  args: string[],
  extra: Partial<CommandSpec> = {},
  parse?: (o: string) => Record<string, number> | undefined,
): Promise<ToolRun> {
  const run = await runTool(
    ctx,
    { label, command: "borg", args: [args[0]!, "--log-json", ...args.slice(1)], ...env(s, ctx), ...extra },
    parse,
  );
  if (!run.failed || run.timedOut) return run;
  return { ...run, message: borgLogMessage(run.stderr) ?? run.message ?? `exit code ${run.exitCode}` };
}

/**
 * borg's exit code 1 is a warning, not an error: the archive was committed (a file that changed
 * while it was read, as a live database's journal does in hot mode, is in it as read). The call
 * counts as done; the warning stays in its message.
 */
function warningIsSuccess(run: ToolRun): ToolRun {
  if (run.exitCode !== 1 || run.timedOut || run.interrupted) return run;
  return { ...run, failed: false, message: `borg finished with a warning (exit 1): ${run.message ?? "see its log"}` };
}

/** Runs a command; when a lock blocks it, `borg break-lock` and once more (the retry says so). */
async function withBreakLock(s: Settings, ctx: ToolContext, call: () => Promise<ToolRun>): Promise<ToolRun> {
  const first = await call();
  if (!first.failed || first.timedOut || !LOCKED.test(`${first.stderr}\n${first.message ?? ""}`)) return first;
  const broke = await borg(s, ctx, "borg-break-lock", ["break-lock", repoOf(ctx)]);
  if (broke.failed) return first;
  const again = await call();
  return { ...again, message: again.message ?? `lock removed with borg break-lock (${first.message}); retried` };
}

export default defineTool({
  name: "borg",
  description: "borg 1.2: deduplicated, compressed (lz4/zstd), optionally encrypted archives.",
  binaries: ["borg"],
  install: "apt-get install borgbackup",
  settings,
  fidelity: { mtimePrecisionMs: 0, symlinkMtime: true, hardlinks: true, xattrs: true },
  capabilities: {
    incremental: true,
    pointInTime: true,
    selfContainedBackups: true,
    encryption: (s) => ({
      encrypted: s.encryption !== "none",
      secretSetting: "passphrase",
      how: "repokey: the key lives in the repository's config, sealed by the passphrase",
    }),
    dataFiles: /^data\/\d+\/\d+$/,
    async loseKey(repo) {
      const text = (await repo.read("config"))?.toString("utf8") ?? "";
      const kept = text.split("\n").filter((l) => !/^key\s*=/.test(l) && !/^[ \t]+\S/.test(l));
      if (kept.length === text.split("\n").length)
        throw new Error("lost-key: no repokey in borg's config (keyfile mode keeps it outside the repository)");
      await repo.write("config", kept.join("\n"));
      return { effects: { removed: "the repokey from the repository's config" } };
    },
    staleLock:
      "borg clears a lock of a dead process itself; a lock it cannot prove stale: borg break-lock, then the " +
      "call runs once more",
    site: { how: "ssh:// to `borg serve` on the site", appendOnly: "own-server" },
    eraseAll: "borg delete of every archive, then borg compact",
    undoErase: undoBorgErase,
    restoreTest: {
      readOnly: "--bypass-lock on list and extract (no lock written, none broken)",
      verifies: "extract checks every chunk against its id (and its MAC when encrypted) as it writes it",
    },
  },
  validate: (s) => refusedArgs("borg", s.args, REFUSED),
  version: (exec) => probeVersion(exec, "borg", ["--version"], /borg\s+([\w.+-]+)/),
  open(s, ctx) {
    return {
      init() {
        return borg(s, ctx, "borg-init", ["init", `--encryption=${s.encryption}`, repoOf(ctx)]);
      },
      async backup(kind, sourceDir) {
        // Run in the source with "." so archive paths are relative and extract recreates the tree where it runs.
        const name = borgArchiveName(kind, new Date());
        const args = [
          "create",
          "--json",
          "--compression",
          s.compression,
          ...s.args.backup,
          `${repoOf(ctx)}::${name}`,
          ".",
        ];
        const run = warningIsSuccess(
          await withBreakLock(s, ctx, () =>
            borg(s, ctx, `borg-create-${kind}`, args, { cwd: sourceDir }, parseBorgCreate),
          ),
        );
        return run.failed ? run : { ...run, backupId: name };
      },
      async points() {
        const run = await borg(s, ctx, "borg-list", ["list", "--json", "--bypass-lock", repoOf(ctx)]);
        if (run.failed) return { run, points: [] };
        const points = parseBorgList(run.stdout)
          .map((a) => ({ id: a.name, timeMs: a.timeMs }))
          .sort((a, b) => a.timeMs - b.timeMs);
        return { run, points };
      },
      async restore(destDir, opts) {
        if (opts?.readOnly) {
          const mkdir = await runTool(ctx, {
            label: "borg-mkdir-staging",
            command: "mkdir",
            args: ["-p", "--", destDir],
          });
          if (mkdir.failed) return mkdir;
          const { id } = opts.readOnly;
          const args = ["extract", "--bypass-lock", ...s.args.restore, `${repoOf(ctx)}::${id}`];
          const run = await borg(s, ctx, "borg-extract", args, { cwd: destDir });
          return { ...run, backupId: id };
        }
        const list = await borg(s, ctx, "borg-list", ["list", "--json", repoOf(ctx)]);
        if (list.failed) return list;
        const archives = parseBorgList(list.stdout);
        const chosen = opts?.at ? pickBackup(archives, opts.at) : archives.sort((a, b) => a.timeMs - b.timeMs).at(-1);
        if (!chosen)
          return notRun(
            "borg-extract",
            `borg: no archive ${opts?.at ? `at or before ${opts.at}` : "at all"} in the repository`,
          );
        // borg extracts into its working directory: make the (new, empty) staging directory and run there.
        const mkdir = await runTool(ctx, {
          label: "borg-mkdir-staging",
          command: "mkdir",
          args: ["-p", "--", destDir],
        });
        if (mkdir.failed) return mkdir;
        const run = await withBreakLock(s, ctx, () =>
          borg(s, ctx, "borg-extract", ["extract", ...s.args.restore, `${repoOf(ctx)}::${chosen.name}`], {
            cwd: destDir,
          }),
        );
        return { ...run, backupId: chosen.name };
      },
      check(deep) {
        return withBreakLock(s, ctx, () =>
          borg(
            s,
            ctx,
            deep ? "borg-check-verify-data" : "borg-check",
            deep ? ["check", "--verify-data", repoOf(ctx)] : ["check", repoOf(ctx)],
          ),
        );
      },
      list() {
        return borg(s, ctx, "borg-list", ["list", repoOf(ctx)]);
      },
      async forgetCache() {
        // After a rollback the client's cache and its security record are newer than the repository.
        const r = await borg(s, ctx, "borg-delete-cache-only", ["delete", "--cache-only", repoOf(ctx)]);
        await runTool(ctx, {
          label: "borg-forget-manifest-timestamp",
          command: "bash",
          args: ["-c", 'rm -f -- "$1"/.config/borg/security/*/manifest-timestamp', "forget", `${ctx.workDir}/borg`],
        });
        return r;
      },
      async eraseAll() {
        const del = await borg(s, ctx, "borg-delete-all", ["delete", "--glob-archives", "*", repoOf(ctx)]);
        return [del, await borg(s, ctx, "borg-compact", ["compact", repoOf(ctx)])];
      },
    };
  },
});
