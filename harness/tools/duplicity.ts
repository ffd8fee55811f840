// Duplicity adapter: GnuPG-encrypted (or plain) volumes in a file:// destination, as the seed drill did;
// encrypted with a passphrase (symmetric), or to a public key (the run's own key pair, or the user's).
import { z } from "zod";
import type { Problem } from "../rules/context.ts";
import { defineTool, type ToolContext, type ToolRun } from "./tool.ts";
import { parseDuplicitySets, parseDuplicityStatus } from "./duplicity-sets.ts";
import { deleteSecretKey, makeKeyring, removeKeyring, type Keyring } from "./gpg-keyring.ts";
import { pickBackup } from "./pick-backup.ts";
import { notRun, probeVersion, runTool } from "./run-tool.ts";
import { refusedArgs, toolArgs, type RefusedOption } from "./tool-args.ts";

const settings = z
  .object({
    encryption: z
      .enum(["gpg-symmetric", "gpg-key", "none"])
      .default("gpg-symmetric")
      .describe("gpg-symmetric: the passphrase is the key; gpg-key: to a public key (--encrypt-key); none."),
    encryptKey: z
      .string()
      .regex(/^[0-9A-Fa-f]{40}$/, "a key's fingerprint is 40 hex digits (gpg --list-keys --with-colons: its fpr line)")
      .optional()
      .describe(
        "With encryption: gpg-key, your own key (its fingerprint) in your GNUPGHOME, instead of a throwaway pair.",
      ),
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
    why: "encryption is the setting encryption: (gpg-key: the key is encryptKey:)",
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

/** Where the session's keys are: the user's (GNUPGHOME as the environment has it), the run's own, or none. */
type Keys = { user: string } | { run: Keyring | null } | null;

function keysOf(s: Settings): Keys {
  if (s.encryption !== "gpg-key") return null;
  return s.encryptKey ? { user: s.encryptKey.toUpperCase() } : { run: null };
}

function fingerprintOf(keys: Keys): string | undefined {
  if (!keys) return undefined;
  return "user" in keys ? keys.user : keys.run?.fingerprint;
}

function commonArgs(s: Settings, ctx: ToolContext, keys: Keys): string[] {
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
  const fingerprint = fingerprintOf(keys);
  if (fingerprint) args.push("--encrypt-key", fingerprint);
  if (s.compression === "none") {
    args.push(...(s.encryption === "none" ? ["--no-compression"] : ["--gpg-options", "--compress-algo=none"]));
  }
  return args;
}

/**
 * The secret in the environment, never on a command line: the passphrase (symmetric, or the user's key's,
 * which duplicity hands gpg through --passphrase-fd); the run's own key has none, but duplicity asks for
 * one unless PASSPHRASE is set, so it gets an empty one and the home that holds the key.
 */
function envOf(s: Settings, ctx: ToolContext, keys: Keys): { env: Record<string, string>; secretEnv: string[] } {
  if (s.encryption === "none") return { env: {}, secretEnv: [] };
  if (keys && "run" in keys)
    return { env: { PASSPHRASE: "", ...(keys.run ? { GNUPGHOME: keys.run.home } : {}) }, secretEnv: [] };
  return { env: { PASSPHRASE: ctx.passphrase() }, secretEnv: ["PASSPHRASE"] };
}

function validate(s: Settings): Problem[] {
  const problems = refusedArgs("duplicity", s.args, REFUSED);
  if (s.encryptKey && s.encryption !== "gpg-key")
    problems.push({
      field: "encryptKey",
      message: `encryptKey is the key of encryption: gpg-key (this entry has encryption: ${s.encryption})`,
    });
  return problems;
}

/** How it encrypts with these settings (a fault asks: a passphrase to get wrong, a key to lose). */
function encryption(s: Record<string, unknown>) {
  if (s.encryption === "gpg-key")
    return s.encryptKey
      ? {
          encrypted: true,
          secretSetting: "passphrase",
          keyPair: "user" as const,
          how: "GnuPG, public key: your key (encryptKey) in your GNUPGHOME",
        }
      : {
          encrypted: true,
          keyPair: "run" as const,
          how: "GnuPG, public key: the run's own key pair (ed25519/cv25519, no passphrase) in a temporary GNUPGHOME",
        };
  return {
    encrypted: s.encryption !== "none",
    secretSetting: "passphrase",
    how: "GnuPG, symmetric: the passphrase is the key",
  };
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
    encryption,
    dataFiles: /^duplicity-(full|inc)\.[^/]*\.vol\d+\.difftar/,
    // Symmetric GnuPG: the passphrase is the key; losing it is all there is to lose. The run's own key
    // pair: its secret key goes, from the home the session keeps (a user's key is never touched).
    async loseKey(_repo, s) {
      if (s.encryption === "gpg-key")
        return {
          effects: { removed: "the secret key of the run's key pair (gpg --delete-secret-keys in its GNUPGHOME)" },
          inSession: true,
        };
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
  validate,
  version: (exec) => probeVersion(exec, "duplicity", ["--version"], /duplicity\s+([\w.+-]+)/),
  open(s, ctx) {
    const url = urlOf(ctx);
    const keys = keysOf(s);
    const common = () => commonArgs(s, ctx, keys);
    const env = () => envOf(s, ctx, keys);
    // Without the run's key pair, duplicity would encrypt with the (empty) passphrase instead: not run.
    const withKey = (label: string, fn: () => Promise<ToolRun>): Promise<ToolRun> =>
      keys && "run" in keys && !keys.run
        ? Promise.resolve(notRun(label, "duplicity: the run's key pair was not made (its init failed or did not run)"))
        : fn();
    return {
      // The run's own key pair is made before the first backup; a user's key must be there already.
      async init() {
        if (!keys) return null;
        if ("user" in keys)
          return runTool(ctx, { label: "gpg-list-key", command: "gpg", args: ["--batch", "--list-keys", keys.user] });
        const made = await makeKeyring(ctx, `${ctx.workDir}/gnupg`);
        keys.run = made.keyring ?? null;
        return made.run;
      },
      backup(kind, sourceDir) {
        const label = `duplicity-${kind}`;
        return withKey(label, () =>
          runTool(
            ctx,
            {
              label,
              command: "duplicity",
              args: [kind, ...common(), "--volsize", String(s.volsize), ...s.args.backup, sourceDir, url],
              ...env(),
            },
            parseDuplicityStats,
          ),
        );
      },
      async points() {
        const run = await runTool(ctx, {
          label: "duplicity-collection-status",
          command: "duplicity",
          args: ["collection-status", ...common(), url],
          ...env(),
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
            args: ["restore", ...common(), "--time", id, ...s.args.restore, url, destDir],
            ...env(),
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
        const run = await withKey("duplicity-restore", () =>
          runTool(ctx, {
            label: "duplicity-restore",
            command: "duplicity",
            args: ["restore", ...common(), ...at, ...s.args.restore, url, destDir],
            ...env(),
          }),
        );
        return chosen ? { ...run, backupId: chosen.id } : run;
      },
      check(deep, sourceDir) {
        const [label, args] = deep
          ? ["duplicity-verify", ["verify", ...common(), url, sourceDir]]
          : ["duplicity-collection-status", ["collection-status", ...common(), url]];
        return withKey(label, () => runTool(ctx, { label, command: "duplicity", args, ...env() }));
      },
      list() {
        return withKey("duplicity-list", () =>
          runTool(ctx, {
            label: "duplicity-list",
            command: "duplicity",
            args: ["list-current-files", ...common(), url],
            ...env(),
          }),
        );
      },
      async loseKey() {
        if (!keys || !("run" in keys) || !keys.run)
          return notRun("gpg-delete-secret-key", "lost-key: the run made no key pair of its own");
        return deleteSecretKey(ctx, keys.run);
      },
      async close() {
        if (keys && "run" in keys && keys.run) await removeKeyring(ctx, keys.run);
      },
      async eraseAll() {
        const keep1 = await runTool(ctx, {
          label: "duplicity-remove-all-but-1",
          command: "duplicity",
          args: ["remove-all-but-n-full", "1", "--force", ...common(), url],
          ...env(),
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
