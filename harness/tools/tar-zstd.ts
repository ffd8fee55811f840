// Baseline: `tar -C SRC -cf - . | zstd -T0` into the repository; incrementals with GNU tar --listed-incremental.
import { z } from "zod";
import { backupName, parseBackupNames, restoreChain } from "./file-backups.ts";
import { notRun, runTool } from "./run-tool.ts";
import { siteScripts } from "./tar-zstd-site.ts";
import { defineTool, type ToolContext } from "./tool.ts";
import { refusedArgs, toolArgs, type RefusedOption } from "./tool-args.ts";

const settings = z
  .object({
    level: z.number().int().min(1).max(19).default(3).describe("zstd compression level (-T0 uses every core)."),
    args: toolArgs,
  })
  .strict();

const ARCHIVE = ".tar.zst";
// pax format keeps ns mtimes, xattrs and ACLs; the snapshot file (.snar) beside each archive chains incrementals.
const TAR_CREATE = `tar --format=posix --xattrs "--xattrs-include=*" --acls --sparse --numeric-owner --totals`;
const TAR_EXTRACT = `tar --listed-incremental=/dev/null --xattrs "--xattrs-include=*" --acls --numeric-owner -p`;

// $1 source, $2 repo path without suffix, $3 zstd level, $4 the previous .snar ("" for a full), then
// the user's args. Written as .part and renamed, so a killed backup never looks finished.
const BACKUP = [
  "set -euo pipefail",
  "src=$1 out=$2 lvl=$3 prev=$4; shift 4",
  'if [ -n "$prev" ]; then cp -- "$prev" "$out.snar.part"; fi',
  `${TAR_CREATE} --listed-incremental="$out.snar.part" "$@" -C "$src" -cf - . |` +
    ` zstd -T0 -"$lvl" -q -o "$out${ARCHIVE}.part"`,
  'mv -- "$out.snar.part" "$out.snar"',
  `mv -- "$out${ARCHIVE}.part" "$out${ARCHIVE}"`,
  `echo "archiveBytes $(stat -c %s -- "$out${ARCHIVE}")"`,
].join("; ");

// $1 destination, $2 the number of the user's args that follow, then the archives to apply in order.
const RESTORE = [
  "set -euo pipefail",
  'd=$1; n=$2; shift 2; own=("${@:1:$n}"); shift "$n"',
  '[ $# -gt 0 ] || { echo "error: no backup to restore in the repository" >&2; exit 1; }',
  'mkdir -p -- "$d"',
  `for f; do echo "extracting $f"; zstd -dcq -- "$f" | ${TAR_EXTRACT} "\${own[@]}" -C "$d" -xf -; done`,
].join("; ");

/** What drdrill sets itself: the archive, the folders, the incremental chain. */
const REFUSED: RefusedOption[] = [
  { names: ["-f", "--file", "-C", "--directory"], why: "drdrill names the archive and the folder" },
  { names: ["-g", "--listed-incremental", "-G", "--incremental"], why: "drdrill chains the incrementals" },
];

// $1 repo; light reads the frame headers (each frame carries an XXH64 checksum), deep decompresses and walks the tar.
const CHECK = (deep: boolean) =>
  [
    "set -euo pipefail",
    "shopt -s nullglob",
    `files=("$1"/*${ARCHIVE})`,
    '[ ${#files[@]} -gt 0 ] || { echo "error: no backup in $1" >&2; exit 1; }',
    deep
      ? 'for f in "${files[@]}"; do echo "reading $f"; zstd -dcq -- "$f" | tar -tf - > /dev/null; done'
      : 'zstd -lq -- "${files[@]}"',
  ].join("; ");

/** `--totals` (stderr) and the script's `archiveBytes` line (stdout), in drdrill's names. */
export function parseTarZstdStats(stdout: string, stderr: string): Record<string, number> | undefined {
  const stats: Record<string, number> = {};
  const tarBytes = /Total bytes written: (\d+)/.exec(stderr)?.[1];
  const added = /^archiveBytes (\d+)$/m.exec(stdout)?.[1];
  if (tarBytes) stats.tarBytes = Number(tarBytes);
  if (added) stats.addedBytes = Number(added);
  return Object.keys(stats).length > 0 ? stats : undefined;
}

async function listBackups(ctx: ToolContext) {
  const ls = ctx.site
    ? await runTool(ctx, { label: "tar-zstd-ls", ...siteScripts.list(ctx.site) })
    : await runTool(ctx, { label: "tar-zstd-ls", command: "ls", args: ["-1", "--", ctx.repoDir] });
  return { ls, backups: parseBackupNames(ls.stdout, ARCHIVE) };
}

export default defineTool({
  name: "tar-zstd",
  description: "Baseline: GNU tar (pax, xattrs, ACLs) piped to zstd -T0; incrementals via --listed-incremental.",
  binaries: ["bash", "tar", "zstd"],
  install: "apt-get install tar zstd",
  settings,
  fidelity: { mtimePrecisionMs: 0, symlinkMtime: true, hardlinks: true, xattrs: true },
  capabilities: {
    incremental: true,
    pointInTime: true,
    selfContainedBackups: false,
    encryption: () => ({ encrypted: false }),
    dataFiles: /\.tar\.zst$/,
    staleLock: "no lock; an interrupted backup leaves a .part file that is never taken for a finished one",
    site: { how: "tar | zstd through the system's ssh into drdrill's store on the site", appendOnly: "write-once" },
    eraseAll: "deleting every archive on the site through the same ssh account",
  },
  validate: (s, ctx) => [
    ...refusedArgs("tar-zstd", s.args, REFUSED),
    ...(ctx.site && (s.args.backup.length > 0 || s.args.restore.length > 0)
      ? [{ field: "args", message: "tar-zstd takes args with a local destination only, not with a site (yet)" }]
      : []),
  ],
  async version(exec) {
    const [t, z] = await Promise.all([
      exec.run({ label: "tar-version", command: "tar", args: ["--version"] }),
      exec.run({ label: "zstd-version", command: "zstd", args: ["--version"] }),
    ]);
    return `tar ${/tar\)?\s+([\d.]+)/.exec(t.stdout)?.[1] ?? "?"}, zstd ${/v([\d.]+)/.exec(z.stdout)?.[1] ?? "?"}`;
  },
  open(s, ctx) {
    return {
      async init() {
        return null;
      },
      async backup(kind, sourceDir) {
        let prev: string[] = [];
        if (kind === "incremental") {
          const { ls, backups } = await listBackups(ctx);
          if (ls.failed) return ls;
          const base = backups.at(-1);
          if (!base)
            return notRun(
              "tar-zstd-incremental",
              "tar-zstd: an incremental backup needs an earlier backup in the repository; there is none",
            );
          prev = [
            ctx.site
              ? `${base.id.slice(0, -ARCHIVE.length)}.snar`
              : `${ctx.repoDir}/${base.id.slice(0, -ARCHIVE.length)}.snar`,
          ];
        }
        if (ctx.site) {
          return runTool(
            ctx,
            {
              label: `tar-zstd-${kind}`,
              ...siteScripts.backup(ctx.site, sourceDir, backupName(kind, Date.now(), ""), s.level, prev[0]),
            },
            parseTarZstdStats,
          );
        }
        const name = backupName(kind, Date.now(), "");
        const run = await runTool(
          ctx,
          {
            label: `tar-zstd-${kind}`,
            command: "bash",
            args: [
              "-c",
              BACKUP,
              "tar-zstd-backup",
              sourceDir,
              `${ctx.repoDir}/${name}`,
              String(s.level),
              prev[0] ?? "",
              ...s.args.backup,
            ],
          },
          parseTarZstdStats,
        );
        return run.failed ? run : { ...run, backupId: `${name}${ARCHIVE}` };
      },
      async restore(destDir, opts) {
        const { ls, backups } = await listBackups(ctx);
        if (ls.failed) return ls;
        const chain = restoreChain(backups, opts?.at);
        const run = ctx.site
          ? await runTool(ctx, {
              label: "tar-zstd-restore",
              ...siteScripts.restore(
                ctx.site,
                destDir,
                chain.map((b) => b.id),
              ),
            })
          : await runTool(ctx, {
              label: "tar-zstd-restore",
              command: "bash",
              args: [
                "-c",
                RESTORE,
                "tar-zstd-restore",
                destDir,
                String(s.args.restore.length),
                ...s.args.restore,
                ...chain.map((b) => `${ctx.repoDir}/${b.id}`),
              ],
            });
        return chain.length > 0 ? { ...run, backupId: chain.at(-1)!.id } : run;
      },
      check(deep) {
        if (ctx.site)
          return runTool(ctx, {
            label: deep ? "tar-zstd-check-deep" : "tar-zstd-check",
            ...siteScripts.check(ctx.site, deep),
          });
        return runTool(ctx, {
          label: deep ? "tar-zstd-check-deep" : "tar-zstd-check",
          command: "bash",
          args: ["-c", CHECK(deep), "tar-zstd-check", ctx.repoDir],
        });
      },
      list() {
        if (ctx.site) return runTool(ctx, { label: "tar-zstd-ls", ...siteScripts.list(ctx.site) });
        return runTool(ctx, { label: "tar-zstd-ls", command: "ls", args: ["-l", "--", ctx.repoDir] });
      },
      async eraseAll() {
        if (ctx.site) return [await runTool(ctx, { label: "tar-zstd-erase", ...siteScripts.erase(ctx.site) })];
        return [
          await runTool(ctx, {
            label: "tar-zstd-erase",
            command: "bash",
            args: ["-c", `rm -fv -- "$1"/*${ARCHIVE} "$1"/*.snar`, "tar-zstd-erase", ctx.repoDir],
          }),
        ];
      },
    };
  },
});
