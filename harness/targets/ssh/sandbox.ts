// `sandbox: clone` on the ssh target: the drill runs on a copy of the host's data directory (a reflink
// copy where the file system has them, else a plain `cp -a`) in a folder of its own, and production is
// only read: digested (every path, type, size, mode, owner, mtime, link, xattr and content hash) before
// the copy and again after the clone is removed; the two digests go into the journal (results.json's
// `sandbox`). The folder is leased before it is made, so `drdrill clean` removes it after a SIGKILL.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import type { ConfinedDir } from "../../agent/confined-dir.ts";
import type { Journal } from "../../journal/journal.ts";
import type { Manifest } from "../../model/manifest.ts";
import type { SandboxRecord } from "../../model/sandbox.ts";
import { EnvironmentError } from "../../model/errors.ts";
import { connectHost, type RemoteHost } from "../../ssh/remote-host.ts";
import { addLease, dropLease, type Lease, type LeaseHost } from "../../util/leases.ts";
import { SecretStore } from "../../util/secrets.ts";
import { treeChanges, treeDigest } from "../../verify/tree-digest.ts";
import type { SshSettings } from "./settings.ts";

/** The mark in the sandbox's folder: the run's name, checked before `drdrill clean` removes the folder. */
export const SANDBOX_MARK = ".drdrill-sandbox";
/** The sandbox folder's name: `.<data directory's name>.drdrill-sandbox-<run>`. */
export const SANDBOX_NAME = /^\.[^/]*\.drdrill-sandbox-[\w.-]+$/;

const CLONE_TIMEOUT_MS = 6 * 3600_000;

/** Copies `$1` to `$2`, with reflinks when both are on one file system that has them; prints which it did. */
const CLONE_SCRIPT = [
  "set -e",
  'how=copy; dir=$(dirname -- "$2")',
  'if [ "$(stat -c %d -- "$1")" = "$(stat -c %d -- "$dir")" ]; then',
  '  p="$dir/.drdrill-reflink-probe"; printf x >"$p"',
  '  if cp --reflink=always -- "$p" "$p.2" 2>/dev/null; then how=reflink; fi',
  '  rm -f -- "$p" "$p.2"',
  "fi",
  'cp -a -x -T --reflink=auto -- "$1" "$2"',
  'echo "$how"',
].join("\n");

export class CloneSandbox {
  /** The sandbox's own folder (the clone, restores staged beside it, the mark). */
  readonly folder: string;
  /** The clone: the drill's data directory. */
  readonly clone: string;
  readonly production: ConfinedDir;
  /** The folder the sandbox folder is made in. */
  readonly #root: ConfinedDir;
  readonly #name: string;
  #before: Manifest | null = null;
  #record: SandboxRecord | null = null;
  #lease: Lease | null = null;

  constructor(
    private readonly host: RemoteHost,
    private readonly settings: SshSettings,
    private readonly runName: string,
    private readonly journal: Journal,
  ) {
    const noFollow = { noFollowRoot: true };
    const base = posix.basename(settings.dataDir);
    const rootPath = (settings.sandboxRoot ?? posix.dirname(settings.dataDir)).replace(/(.)\/+$/, "$1");
    this.#name = `.${base}.drdrill-sandbox-${runName}`;
    this.folder = `${rootPath === "/" ? "" : rootPath}/${this.#name}`;
    this.clone = `${this.folder}/${base}`;
    this.production = host.dir(settings.dataDir, `production data directory on ${host.conn.where}`, noFollow);
    this.#root = host.dir(rootPath, "sandbox root", noFollow);
  }

  /** The sandbox folder, confined (restores are staged in it, beside the clone). */
  dir(): ConfinedDir {
    return this.#root.sub(this.#name, "sandbox");
  }

  get record(): SandboxRecord | null {
    return this.#record;
  }

  /** Digests production, makes the sandbox folder (leased first) and the clone in it. */
  async make(): Promise<{ bytes: number; files: number; method: string }> {
    const base = posix.basename(this.settings.dataDir);
    const above = this.host.dir(posix.dirname(this.settings.dataDir), "data directory's parent", {
      noFollowRoot: true,
    });
    const st = (await above.stat([base]))[base];
    if (!st || "refused" in st || st.type !== "dir") {
      const is = !st ? "missing" : "refused" in st ? st.refused : `a ${st.type}`;
      throw new EnvironmentError(
        `${this.settings.dataDir} on ${this.host.conn.where}: ${is}; sandbox: clone drills a copy of the host's ` +
          "own data directory",
      );
    }
    this.#before = await this.production.manifest({ xattrs: true });
    if (this.#before.files === 0)
      throw new EnvironmentError(
        `${this.settings.dataDir} on ${this.host.conn.where} holds no files: sandbox: clone drills a copy of the ` +
          "host's own data, and there is none",
      );
    const s = this.settings;
    const remote: LeaseHost = {
      host: s.host!,
      ...(s.user ? { user: s.user } : {}),
      ...(s.port ? { port: s.port } : {}),
      ...(s.identityFile ? { identityFile: s.identityFile } : {}),
      ...(s.knownHostsFile ? { knownHostsFile: s.knownHostsFile } : {}),
      hostKey: s.hostKey,
      sudo: s.sudo ?? true,
      workDir: s.workDir,
    };
    this.#lease = {
      kind: "remote-tree",
      id: this.folder,
      what: `the sandbox clone of ${s.dataDir} on ${this.host.conn.where}`,
      match: this.runName,
      remote,
    };
    await addLease(this.runName, this.#lease).catch(() => {});
    await this.#root.mkdir(this.#name, { mode: 0o700 });
    await this.dir().write(SANDBOX_MARK, `${this.runName}\n`, { mode: 0o600 });
    this.#record = {
      mode: "clone",
      production: s.dataDir,
      clone: this.clone,
      method: "copy",
      digestBefore: treeDigest(this.#before),
      digestAfter: null,
      untouched: null,
    };
    // As long as a copy of the data takes (drdrill's own commands get 2 minutes).
    const cp = await this.host.conn.run("sh", ["-c", CLONE_SCRIPT, "drdrill", s.dataDir, this.clone], {
      timeoutMs: CLONE_TIMEOUT_MS,
    });
    if (cp.exitCode !== 0)
      throw new EnvironmentError(
        `${this.host.conn.where}: cloning ${s.dataDir} into ${this.clone} failed: ` +
          `${cp.stderr.trim().split("\n").slice(-2).join(" / ") || `exit ${cp.exitCode}`}`,
      );
    const method = cp.stdout.trim().endsWith("reflink") ? "reflink" : "copy";
    this.#record = { ...this.#record, method };
    this.journal.emit("sandbox", { ...this.#record });
    return {
      bytes: this.#before.bytes,
      files: this.#before.files,
      method:
        `a ${method === "reflink" ? "reflink copy (cp -a --reflink)" : "copy (cp -a)"} of the host's ${s.dataDir} ` +
        `in ${this.folder} (sandbox: clone; production only read)`,
    };
  }

  /** Removes the sandbox folder (what it refused is returned), then drops its lease. */
  async remove(): Promise<{ path: string; reason: string }[]> {
    if (!this.#lease) return [];
    const r = await this.#root.delete([this.#name]);
    if (r.refusedCount === 0) await dropLease(this.runName, this.#lease).catch(() => {});
    this.#lease = null;
    return r.refused;
  }

  /** --keep: the clone stays where it is, and so no lease names it for removal. */
  keep(): void {
    if (this.#lease) void dropLease(this.runName, this.#lease).catch(() => {});
    this.#lease = null;
    this.journal.emit("note", { text: `the sandbox clone is kept (--keep): ${this.clone}` });
  }

  /** Production digested again, after everything else: untouched or not, in the journal. */
  async check(skip?: string): Promise<void> {
    const before = this.#before;
    if (!before || !this.#record) return;
    this.#before = null;
    let after: Manifest | null = null;
    let note = skip;
    if (!skip)
      after = await this.production.manifest({ xattrs: true }).catch((e: Error) => {
        note = `production could not be read again: ${e.message}`;
        return null;
      });
    const changes = after ? treeChanges(before, after) : [];
    this.#record = {
      ...this.#record,
      digestAfter: after ? treeDigest(after) : null,
      untouched: after ? changes.length === 0 && treeDigest(after) === this.#record.digestBefore : null,
      ...(changes.length > 0 ? { changes: changes.slice(0, 20), changeCount: changes.length } : {}),
      ...(note ? { note } : {}),
    };
    this.journal.emit("sandbox", { ...this.#record });
  }
}

/**
 * Removes a sandbox folder a drdrill killed hard left on a host (a `remote-tree` lease): only a folder
 * named as drdrill names them whose mark holds the lease's run; true when it is gone.
 */
export async function removeLeftClone(lease: Lease): Promise<boolean> {
  const r = lease.remote;
  const name = posix.basename(lease.id);
  if (!r || !lease.match || !lease.id.startsWith("/") || !SANDBOX_NAME.test(name))
    throw new Error(`${lease.id} is not a sandbox folder drdrill makes (.NAME.drdrill-sandbox-RUN): left alone`);
  const local = await mkdtemp(join(tmpdir(), "drdrill-clean-"));
  try {
    const host = await connectHost(
      {
        host: r.host,
        ...(r.user ? { user: r.user } : {}),
        ...(r.port ? { port: r.port } : {}),
        ...(r.identityFile ? { identityFile: r.identityFile } : {}),
        ...(r.knownHostsFile ? { knownHostsFile: r.knownHostsFile } : {}),
        hostKeyCheck: r.hostKey,
        sudo: r.sudo,
        controlDir: local,
      },
      { workDir: r.workDir, runName: `clean-${process.pid}-${Date.now()}`, logDir: local, secrets: new SecretStore() },
    );
    try {
      const root = host.dir(posix.dirname(lease.id), "sandbox root", { noFollowRoot: true });
      const mark = await root
        .sub(name)
        .read(SANDBOX_MARK)
        .catch(() => null);
      if (mark === null) return (await root.stat([name]))[name] === null;
      if (mark.toString("utf8").trim() !== lease.match) return false;
      return (await root.delete([name])).refusedCount === 0;
    } finally {
      await host.close();
    }
  } finally {
    await rm(local, { recursive: true, force: true });
  }
}
