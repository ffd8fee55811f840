// repository: { tool, url, passphrase, compareWith? }: a restore test of a repository drdrill did not
// make. No backup, no fault, no load: the run lists the repository's points (read only), restores the
// chosen one into an empty folder of the sandbox target, and checks it there: with the tool's own
// means as it restores, and, given compareWith, against production for the files older than the point.
// Neither the repository nor compareWith is ever written to.
import { existsSync, statSync } from "node:fs";
import { sshCommandFor, type SiteEndpoint } from "../site/site.ts";
import { isAbsolute, resolve } from "node:path";
import { z } from "zod";
import { localAgent } from "../agent/local-dir.ts";
import { ConfinedDir } from "../agent/confined-dir.ts";
import type { Manifest } from "../model/manifest.ts";
import type { Problem } from "../rules/context.ts";
import { maskUrl, urlPasswords } from "../util/url-secret.ts";
import { compareManifests } from "../verify/compare-manifests.ts";
import { defineSource } from "./source.ts";

/** Steps a restore test refuses: each would write (a backup, a lock), break, or load something. */
const REFUSED_STEPS: Record<string, string> = {
  backup: "a restore test takes no backup: it restores the repository's own points",
  schedule: "a restore test takes no backups: it restores the repository's own points",
  fault: "a restore test breaks nothing: production and the repository are only read",
  load: "a restore test runs no load writer",
  check: "a repository check takes a lock (a write); the restore itself checks every byte",
};

const schema = z
  .object({
    tool: z.string().min(1).describe("The tool that made the repository: restic, borg or duplicity."),
    url: z
      .string()
      .min(1)
      .describe("The repository: a local path (relative to the scenario's folder) or the tool's URL (sftp:, ssh://)."),
    passphrase: z
      .object({ env: z.string().min(1) })
      .strict()
      .describe("The variable that holds the repository's passphrase: it must be set."),
    compareWith: z
      .string()
      .min(1)
      .optional()
      .describe("Production's folder (absolute path, only read): files older than the point must match."),
    ssh: z
      .object({
        identityFile: z.string().min(1).describe("The private key that logs in (a file: its content is never read)."),
        knownHostsFile: z.string().min(1).describe("The host's pinned keys (a known_hosts file)."),
        port: z.number().int().min(1).max(65535).optional().describe("The port (else the URL's, else 22)."),
      })
      .strict()
      .optional()
      .describe(
        "How the tool reaches an sftp:/ssh:// repository (paths relative to the scenario's folder); without " +
          "it, the ssh configuration of the user running drdrill.",
      ),
  })
  .strict();

type Params = z.infer<typeof schema>;

/**
 * The sandboxes whose restored tree is on this machine and whose tools see its folders: the local
 * target, and the lab (its run folder is a bind mount; a repository folder is mounted read only).
 */
const ON_THIS_MACHINE = ["local", "lab"];

/** A URL the tool opens itself (sftp:host:/path, ssh://...), not a path of this machine. */
const isUrl = (url: string) => /^[a-z][a-z0-9+.-]*:/i.test(url) && !/^[a-z]:[\\/]/i.test(url);

const localPath = (url: string, dir: string) => (isAbsolute(url) ? url : resolve(dir, url));

/**
 * Where an SSH repository URL points: restic's `sftp:user@host:path`, or `sftp://user@host[:port]/path`
 * (restic, duplicity: the path after the first slash, `//` for an absolute one) and borg's
 * `ssh://user@host[:port]/path` (absolute).
 */
export function sshRepository(url: string): { user: string; host: string; port?: number; path: string } | null {
  const scp = /^sftp:([^/@:]+)@([^/:@]+):(.+)$/.exec(url);
  if (scp && !url.startsWith("sftp://")) return { user: scp[1]!, host: scp[2]!, path: scp[3]! };
  const m = /^(sftp|ssh):\/\/([^/@:]+)@([^/:@]+)(?::(\d+))?\/(.+)$/.exec(url);
  if (!m) return null;
  return {
    user: m[2]!,
    host: m[3]!,
    ...(m[4] ? { port: Number(m[4]) } : {}),
    path: m[1] === "ssh" ? `/${m[5]!}` : m[5]!,
  };
}

/** Metadata is not judged against production (it may have changed since): content and type are. */
const LENIENT = { mtimePrecisionMs: 1000, symlinkMtime: false, hardlinks: false, xattrs: false };

/** Production's manifest, read only (the agent opens files to read them; nothing there is written). */
async function production(path: string): Promise<Manifest> {
  const agent = localAgent();
  try {
    return await new ConfinedDir(agent, path, "compareWith").manifest({ xattrs: false });
  } finally {
    agent.close();
  }
}

const pickEntries = (m: Manifest, keep: (rel: string) => boolean): Manifest => {
  const entries = Object.fromEntries(Object.entries(m.entries).filter(([rel]) => keep(rel)));
  const files = Object.values(entries).filter((e) => e.type === "file");
  return { ...m, entries, files: files.length, bytes: files.reduce((a, e) => a + e.size, 0) };
};

export default defineSource<Params>({
  name: "repository",
  description:
    "Restore-test an existing repository: no backup, no fault; its points are listed read only, one is " +
    "restored into the sandbox target and checked there.",
  schema,
  // How many points the repository holds is known once listed: no `backup:N` is refused before.
  points: () => ({ fewest: Number.POSITIVE_INFINITY, most: Number.POSITIVE_INFINITY, full: true }),
  tool: (p) => ({ name: p.tool, settings: { passphrase: p.passphrase } }),
  repository: (p, dir) => (isUrl(p.url) ? p.url : localPath(p.url, dir)),
  // A password in the URL (rest:https://user:pw@host/repo) is a secret of the run: shown as ***.
  secrets: (p) => urlPasswords(p.url),
  shownRepository: (p, dir) => (isUrl(p.url) ? maskUrl(p.url) : localPath(p.url, dir)),
  // With `ssh`, the tool reaches the repository as it reaches site B: its key and pinned host keys.
  endpoint(p, dir): SiteEndpoint | undefined {
    const at = p.ssh ? sshRepository(p.url) : null;
    if (!p.ssh || !at) return undefined;
    const identityFile = localPath(p.ssh.identityFile, dir);
    const knownHostsFile = localPath(p.ssh.knownHostsFile, dir);
    const port = p.ssh.port ?? at.port ?? 22;
    const sshCommand = sshCommandFor(identityFile, knownHostsFile, port);
    return { ...at, port, identityFile, knownHostsFile, sshCommand, appendOnly: false };
  },
  validate(p, ctx) {
    const problems: Problem[] = [];
    ctx.scenario.steps.forEach(({ kind, params }, i) => {
      const why = REFUSED_STEPS[kind];
      if (why) problems.push({ path: ["steps", i, kind], message: `${why} (repository:)` });
      if (kind === "verify" && Array.isArray(params) && params.includes("services"))
        problems.push({
          path: ["steps", i, kind],
          message: "a restore test checks files; services on the restored data are not brought up yet (repository:)",
        });
    });
    if (!ctx.adapter.capabilities.restoreTest)
      problems.push({ field: "tool", message: `${p.tool} cannot restore-test a repository it did not make yet` });
    // A path is this machine's: the lab sees it (mounted read only); a target elsewhere reaches it by a URL.
    const here = ON_THIS_MACHINE.includes(ctx.target.name);
    if (!isUrl(p.url) && !here)
      problems.push({
        field: "url",
        message: `a path is this machine's; on the ${ctx.target.name} target give a URL it reaches (sftp:, ssh://)`,
      });
    if (p.ssh && !sshRepository(p.url))
      problems.push({
        field: "url",
        message:
          "ssh: needs an SSH URL with a user: sftp:user@host:/path, sftp://user@host/path or ssh://user@host/path",
      });
    if (p.ssh && ctx.target.name !== "local")
      problems.push({
        field: "ssh",
        message: `the key and known_hosts files are this machine's: the local target only (not ${ctx.target.name}) yet`,
      });
    if (p.compareWith !== undefined) {
      if (!isAbsolute(p.compareWith))
        problems.push({ field: "compareWith", message: `give production's folder as an absolute path` });
      if (!here)
        problems.push({
          field: "compareWith",
          message:
            `compareWith reads production on this machine: the ${ON_THIS_MACHINE.join(" and ")} targets only ` +
            `(not ${ctx.target.name}) yet`,
        });
    }
    return problems;
  },
  preflight(p, env, dir) {
    const problems: Problem[] = [];
    if (!env[p.passphrase.env])
      problems.push({
        field: "passphrase.env",
        message:
          `${p.passphrase.env} is not set: a restore test opens an existing repository with its passphrase ` +
          "(drdrill makes no random one here)",
      });
    const dirProblem = (field: string, path: string, what: string) => {
      if (!existsSync(path)) problems.push({ field, message: `${what} ${path} does not exist` });
      else if (!statSync(path).isDirectory()) problems.push({ field, message: `${what} ${path} is not a folder` });
    };
    if (!isUrl(p.url)) dirProblem("url", localPath(p.url, dir), "the repository");
    for (const key of ["identityFile", "knownHostsFile"] as const) {
      const file = p.ssh ? localPath(p.ssh[key], dir) : null;
      if (file && !existsSync(file)) problems.push({ field: `ssh.${key}`, message: `${file} does not exist` });
    }
    if (p.compareWith !== undefined && isAbsolute(p.compareWith)) dirProblem("compareWith", p.compareWith, "folder");
    return problems;
  },
  readOnlyPaths: (p, dir) => [
    ...(isUrl(p.url) ? [] : [localPath(p.url, dir)]),
    ...(p.compareWith ? [p.compareWith] : []),
  ],
  async inspect(p, restored, pointMs) {
    if (p.compareWith === undefined) return null;
    const prod = await production(p.compareWith);
    const pointNs = BigInt(Math.floor(pointMs)) * 1_000_000n;
    // A file newer than the point (or gone from production since) changed after it: not a difference.
    const older = (rel: string) => {
      const e = prod.entries[rel];
      return e !== undefined && (e.type !== "file" || BigInt(e.mtimeNs) < pointNs);
    };
    const expected = pickEntries(prod, (rel) => rel !== "." && older(rel));
    const actual = pickEntries(restored, (rel) => expected.entries[rel] !== undefined);
    const newer = Object.entries(prod.entries).filter(([rel, e]) => e.type === "file" && !older(rel)).length;
    const gone = Object.entries(restored.entries).filter(([rel, e]) => e.type === "file" && !prod.entries[rel]).length;
    const v = compareManifests(expected, actual, LENIENT);
    return { ...v, compareWith: p.compareWith, bytesChecked: expected.bytes, changedSince: newer + gone };
  },
});
