// Duplicity adapter: GnuPG-encrypted (or plain) volumes in a file:// destination, as the seed drill did.
import { z } from "zod";
import { defineTool, type ToolContext } from "./tool.ts";
import { parseDuplicitySets, parseDuplicityStatus } from "./duplicity-sets.ts";
import { pickBackup } from "./pick-backup.ts";
import { notRun, probeVersion, runTool } from "./run-tool.ts";
import { refusedArgs, toolArgs, type RefusedOption } from "./tool-args.ts";

const settings = z
  .object({
    encryption: z.enum(["gpg-symmetric", "none"]).default("gpg-symmetric"),
    passphrase: z
      .object({ env: z.string().min(1) })
      .strict()
      .default({ env: "DRDRILL_PASSPHRASE" }),
    volsize: z.number().int().min(1).max(10_000).default(200).describe("Volume size in MB."),
    compression: z.enum(["default", "none"]).default("default").describe("gzip (or gpg's zlib); none turns it off."),
    args: toolArgs,
  })
  .strict();

type Settings = z.infer<typeof settings>;

/** What drdrill sets itself: where the backups are, its cache, and the encryption the settings choose. */
const REFUSED: RefusedOption[] = [
  { names: [], pattern: /^[a-z][\w+]*:\/\//i, why: "the destination is drdrill's (destination:, site:)" },
  { names: ["--archive-dir", "--name"], why: "drdrill keeps duplicity's cache in the run's work folder" },
  {
    names: ["--encrypt-key", "--sign-key", "--hidden-encrypt-key", "--encrypt-secret-keyring", "--no-encryption"],
    why: "encryption is the setting encryption:",
  },
];

const STAT_KEYS: Record<string, string> = {
  SourceFiles: "sourceFiles",
  SourceFileSize: "sourceBytes",
  NewFiles: "newFiles",
  ChangedFiles: "changedFiles",
  TotalDestinationSizeChange: "addedBytes",
  ElapsedTime: "elapsedS",
  Errors: "errors",
};

/** Reads duplicity's "Backup Statistics" block. */
export function parseDuplicityStats(stdout: string): Record<string, number> | undefined {
  const stats: Record<string, number> = {};
  for (const m of stdout.matchAll(/^(\w+) (-?[\d.]+)/gm)) {
    const key = STAT_KEYS[m[1]!];
    if (key) stats[key] = Number(m[2]);
  }
  return Object.keys(stats).length > 0 ? stats : undefined;
}

/** The destination: file://, or a secondary site over SFTP (duplicity's paramiko backend). */
function urlOf(ctx: ToolContext): string {
  const e = ctx.site;
  if (e) return `sftp://${e.user}@${e.host}:${e.port}/${e.path}`;
  // A restore test's repository may be any URL duplicity takes (sftp://, file://...).
  return /^[a-z][\w+]*:\/\//i.test(ctx.repoDir) ? ctx.repoDir : `file://${ctx.repoDir}`;
}

function common(s: Settings, ctx: ToolContext): string[] {
  const args = [
    "--archive-dir",
    `${ctx.workDir}/duplicity-cache`,
    "--name",
    "drill",
    "--tempdir",
    `${ctx.workDir}`,
    "--num-retries",
    "1",
  ];
  if (ctx.site)
    args.push(`--ssh-options=-oIdentityFile=${ctx.site.identityFile} -oUserKnownHostsFile=${ctx.site.knownHostsFile}`);
  if (s.encryption === "none") args.push("--no-encryption");
  if (s.compression === "none") {
    args.push(...(s.encryption === "none" ? ["--no-compression"] : ["--gpg-options", "--compress-algo=none"]));
  }
  return args;
}

function env(s: Settings, ctx: ToolContext): { env: Record<string, string>; secretEnv: string[] } {
  if (s.encryption === "none") return { env: {}, secretEnv: [] };
  return { env: { PASSPHRASE: ctx.passphrase() }, secretEnv: ["PASSPHRASE"] };
}

export default defineTool({
  name: "duplicity",
  description: "duplicity: tar volumes, GnuPG-encrypted, full and incremental (the seed drill's tool).",
  binaries: ["duplicity", "gpg"],
  install: "apt-get install duplicity gnupg",
  settings,
  fidelity: { mtimePrecisionMs: 1000, symlinkMtime: false, hardlinks: false, xattrs: false },
  capabilities: {
    incremental: true,
    pointInTime: true,
    selfContainedBackups: false,
    encryption: (s) => ({
      encrypted: s.encryption !== "none",
      secretSetting: "passphrase",
      how: "GnuPG, symmetric: the passphrase is the key",
    }),
    dataFiles: /^duplicity-(full|inc)\.[^/]*\.vol\d+\.difftar/,
    // Symmetric GnuPG: the passphrase is the key; losing it is all there is to lose.
    async loseKey() {
      return {
        effects: { removed: "the passphrase (the symmetric key); a random one is used from now on" },
        passphraseLost: true,
      };
    },
    staleLock: "no lock; an interrupted backup resumes from its last volume",
    site: { how: "SFTP (duplicity's paramiko backend)", appendOnly: "write-once" },
    eraseAll: "duplicity remove-all-but-n-full 1 --force, then rm of every file through the same SFTP account",
    restoreTest: {
      readOnly: "collection-status and restore only read the backend (no lock; its cache is the run's)",
      verifies: "restore checks every volume it reads against the hash its manifest holds",
    },
  },
  validate: (s) => refusedArgs("duplicity", s.args, REFUSED),
  version: (exec) => probeVersion(exec, "duplicity", ["--version"], /duplicity\s+([\w.+-]+)/),
  open(s, ctx) {
    const url = urlOf(ctx);
    return {
      async init() {
        return null;
      },
      backup(kind, sourceDir) {
        return runTool(
          ctx,
          {
            label: `duplicity-${kind}`,
            command: "duplicity",
            args: [kind, ...common(s, ctx), "--volsize", String(s.volsize), ...s.args.backup, sourceDir, url],
            ...env(s, ctx),
          },
          parseDuplicityStats,
        );
      },
      async points() {
        const run = await runTool(ctx, {
          label: "duplicity-collection-status",
          command: "duplicity",
          args: ["collection-status", ...common(s, ctx), url],
          ...env(s, ctx),
        });
        if (run.failed) return { run, points: [] };
        return {
          run,
          points: parseDuplicityStatus(run.stdout).map((p) => ({ id: p.id, timeMs: p.timeMs, kind: p.kind })),
        };
      },
      async restore(destDir, opts) {
        if (opts?.readOnly) {
          const { id } = opts.readOnly;
          const run = await runTool(ctx, {
            label: "duplicity-restore",
            command: "duplicity",
            args: ["restore", ...common(s, ctx), "--time", id, ...s.args.restore, url, destDir],
            ...env(s, ctx),
          });
          return { ...run, backupId: id };
        }
        // The sets from the repository's file names: `at` (a time, or backup:N) picks one, and
        // duplicity is given its exact time (--time takes whole seconds, not ISO with milliseconds).
        const ls = await runTool(ctx, { label: "duplicity-ls", command: "ls", args: ["-1", "--", ctx.repoDir] });
        const sets = ls.failed ? [] : parseDuplicitySets(ls.stdout);
        const chosen = opts?.at ? pickBackup(sets, opts.at) : sets.at(-1);
        if (opts?.at && !ls.failed && !chosen)
          return notRun("duplicity-restore", `duplicity: no backup set at or before ${opts.at} in the repository`);
        const at = opts?.at && chosen ? ["--time", String(chosen.timeMs / 1000)] : [];
        const run = await runTool(ctx, {
          label: "duplicity-restore",
          command: "duplicity",
          args: ["restore", ...common(s, ctx), ...at, ...s.args.restore, url, destDir],
          ...env(s, ctx),
        });
        return chosen ? { ...run, backupId: chosen.id } : run;
      },
      check(deep, sourceDir) {
        return deep
          ? runTool(ctx, {
              label: "duplicity-verify",
              command: "duplicity",
              args: ["verify", ...common(s, ctx), url, sourceDir],
              ...env(s, ctx),
            })
          : runTool(ctx, {
              label: "duplicity-collection-status",
              command: "duplicity",
              args: ["collection-status", ...common(s, ctx), url],
              ...env(s, ctx),
            });
      },
      list() {
        return runTool(ctx, {
          label: "duplicity-list",
          command: "duplicity",
          args: ["list-current-files", ...common(s, ctx), url],
          ...env(s, ctx),
        });
      },
      async eraseAll() {
        const keep1 = await runTool(ctx, {
          label: "duplicity-remove-all-but-1",
          command: "duplicity",
          args: ["remove-all-but-n-full", "1", "--force", ...common(s, ctx), url],
          ...env(s, ctx),
        });
        const e = ctx.site;
        const rm = e
          ? await runTool(ctx, {
              label: "sftp-rm-all",
              command: "sftp",
              args: [
                "-b",
                "-",
                "-i",
                e.identityFile,
                "-o",
                `UserKnownHostsFile=${e.knownHostsFile}`,
                "-o",
                "StrictHostKeyChecking=yes",
                "-o",
                "BatchMode=yes",
                "-P",
                String(e.port),
                `${e.user}@${e.host}`,
              ],
              input: `rm ${e.path}/duplicity-*\n`,
            })
          : await runTool(ctx, {
              label: "rm-all",
              command: "bash",
              args: ["-c", 'rm -fv -- "$1"/duplicity-*', "rm-all", ctx.repoDir],
            });
        return [keep1, rm];
      },
    };
  },
});
