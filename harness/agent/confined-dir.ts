// One directory of a target, seen where it lives, that drdrill may read and change but never leave:
// every call is an agent operation confined to it (no symlink followed, no other file system entered,
// no hard link with a name outside touched), and every refusal is reported, not skipped.
import type { ProcessHandle } from "../exec/types.ts";
import type { KnownFile, Manifest, ManifestEntry, SeededFiles } from "../model/manifest.ts";
import { type Agent, AgentError, type CallOptions } from "./agent.ts";
import type {
  AgentAnswer,
  AgentContentsSwap,
  AgentOp,
  AgentParams,
  AgentPatchItem,
  AgentRefusal,
  AgentStat,
  AgentTouch,
} from "./protocol.ts";

export interface FileInfo {
  path: string;
  size: number;
  /** Names of this file that lie outside the directory (a hard link leading out): it will be refused. */
  outsideLinks?: number;
}

export type Refusal = AgentRefusal;

/** What a changing operation did: how many paths, entries and bytes it touched, and what it refused. */
export type TouchReport = AgentTouch;

export type PatchItem = AgentPatchItem;

export type StatResult = AgentStat;

export interface Mutation {
  /** sha256 of every version each file has had (the original first). */
  readonly versions: Map<string, Set<string>>;
  /** Resolves once the first rewrite is about to start. */
  readonly started: Promise<void>;
  stop(): Promise<{ rewrites: number; refused: Refusal[] }>;
}

export interface ConfinedDirOptions {
  /** The directory is reached from / without following any symlink (a host's data directory): one
   * planted on its path after drdrill resolved it is refused, not followed. */
  noFollowRoot?: boolean;
}

export class ConfinedDir {
  constructor(
    readonly agent: Agent,
    /** Absolute path where the agent runs. */
    readonly path: string,
    /** What it is, for messages: "data directory", "backup destination". */
    readonly label: string,
    readonly options: ConfinedDirOptions = {},
  ) {}

  get where(): string {
    return `${this.label} ${this.path} (${this.agent.where})`;
  }

  #call<K extends AgentOp>(op: K, req: Omit<AgentParams<K>, "root">, opts?: CallOptions<K>): Promise<AgentAnswer<K>> {
    const root = { root: this.path, ...(this.options.noFollowRoot ? { rootNoFollow: true } : {}) };
    return this.agent.call(op, { ...root, ...req } as AgentParams<K>, opts);
  }

  /** A sub-directory as its own confined directory (which must exist when it is used). */
  sub(rel: string, label = this.label): ConfinedDir {
    return new ConfinedDir(this.agent, rel === "." ? this.path : `${this.path}/${rel}`, label, this.options);
  }

  /**
   * Every entry (files hashed), without the excluded paths; `under` gives a manifest of a sub-tree.
   * `seeded`: the directory is a clone of a hashed tree; its files untouched since are not read again.
   */
  async manifest(
    opts: { exclude?: string[]; under?: string; xattrs?: boolean; seeded?: SeededFiles } = {},
  ): Promise<Manifest> {
    const entries: Record<string, ManifestEntry> = {};
    const seeded = opts.under && opts.under !== "." ? undefined : opts.seeded;
    // The tree's hashes (made on first use) while the walk goes on.
    const known = seeded?.known();
    known?.catch(() => {});
    const r = await this.#call(
      "manifest",
      {
        exclude: opts.exclude ?? [],
        under: opts.under ?? ".",
        xattrs: opts.xattrs ?? true,
        ...(seeded ? { skipHashBeforeCtimeNs: seeded.unchangedBeforeCtimeNs } : {}),
      },
      {
        onLine: ({ e }) => {
          const [rel, type, size, mode, uid, gid, mtimeNs, link, hardlinkOf, xattrs, sha256] = e;
          const entry: ManifestEntry = { type, size, mode, uid, gid, mtimeNs };
          if (link !== null) entry.link = link;
          if (hardlinkOf !== null) entry.hardlinkOf = hardlinkOf;
          if (xattrs) entry.xattrs = xattrs;
          if (sha256 !== undefined) entry.sha256 = sha256;
          entries[rel] = entry;
        },
      },
    );
    const root = opts.under && opts.under !== "." ? `${this.path}/${opts.under}` : this.path;
    // Without the tree's hashes (it could not be read), every file left unhashed is read now.
    const reused = known ? await this.#fillKnown(entries, await known.catch(() => new Map<string, KnownFile>())) : 0;
    return {
      root,
      takenAt: new Date().toISOString(),
      entries,
      files: r.files,
      bytes: r.bytes,
      xattrsRead: r.xattrsRead,
      ...(known ? { hashesReused: reused } : {}),
      ...(r.notEnteredCount > 0 ? { notEntered: r.notEntered.map((n) => n.path) } : {}),
    };
  }

  /** Files the agent left unhashed get the tree's hash when size and mtime agree; the rest are read now. */
  async #fillKnown(entries: Record<string, ManifestEntry>, known: ReadonlyMap<string, KnownFile>): Promise<number> {
    let reused = 0;
    const again: string[] = [];
    for (const rel in entries) {
      const e = entries[rel]!;
      if (e.type !== "file" || e.sha256 !== undefined) continue;
      const k = known.get(rel);
      if (k && k.size === e.size && k.mtimeNs === e.mtimeNs) {
        e.sha256 = k.sha256;
        reused++;
      } else again.push(rel);
    }
    for (let i = 0; i < again.length; i += 1000) {
      const batch = again.slice(i, i + 1000);
      const h = await this.hash(batch, { readOnly: true });
      const refused = new Set(h.refused.map((x) => x.path));
      for (const rel of batch)
        entries[rel]!.sha256 = h.digests[rel] ?? (refused.has(rel) ? "error:refused" : "error:ENOENT");
    }
    return reused;
  }

  /** Regular files under `under`, sorted; symlinks and other file systems are listed as skipped. */
  async list(under = "."): Promise<{ files: FileInfo[]; skipped: Refusal[]; skippedCount: number }> {
    const files: FileInfo[] = [];
    const r = await this.#call("list", { under }, { onLine: (l) => files.push(l.f) });
    return { files, skipped: r.skipped, skippedCount: r.skippedCount };
  }

  async stat(paths: string[]): Promise<Record<string, StatResult>> {
    return (await this.#call("stat", { paths })).stat;
  }

  /** `readOnly`: a file with hard links leading out is read too, as a manifest reads it. */
  async hash(
    paths: string[],
    opts: { readOnly?: boolean } = {},
  ): Promise<{ digests: Record<string, string | null>; refused: Refusal[] }> {
    return this.#call("hash", { paths, ...opts });
  }

  /**
   * Apparent size of the regular files (hard links counted once), their number, how many of them have
   * more than one name (`hardLinked`), and the folders of other file systems the walk did not enter
   * (`otherMounts`); 0 when the directory is missing.
   */
  async size(): Promise<{ bytes: number; files: number; hardLinked: number; otherMounts: number }> {
    return this.#call("size", {}).catch((e: Error) => {
      if (/No such file or directory/.test(e.message)) return { bytes: 0, files: 0, hardLinked: 0, otherMounts: 0 };
      throw e;
    });
  }

  /**
   * Writes what the directory's file system holds in memory to its disk (syncfs), so the next timed
   * step does not pay for the write-back of the last one; how long it took, or null when it could not
   * be done (a missing directory, an agent that cannot answer): a flush never fails a drill.
   */
  async flush(timeoutMs = 15 * 60_000): Promise<number | null> {
    return this.#call("flush", {}, { timeoutMs }).then(
      (r) => r.ms,
      () => null,
    );
  }

  async read(path: string, maxBytes = 64 << 20): Promise<Buffer | null> {
    const r = await this.#call("read", { path, maxBytes });
    return r.content === null ? null : Buffer.from(r.content, "base64");
  }

  async write(
    path: string,
    content: string | Buffer,
    opts: { mode?: number; parents?: boolean; append?: boolean } = {},
  ): Promise<void> {
    await this.#call("write", { path, content: Buffer.from(content).toString("base64"), ...opts });
  }

  async mkdir(path: string, opts: { mode?: number; existOk?: boolean } = {}): Promise<void> {
    await this.#call("mkdir", { path, ...opts });
  }

  /** Deletes files or trees; "." empties the directory itself and keeps it. */
  delete(paths: string[], opts: { retries?: number } = {}): Promise<TouchReport> {
    return this.#call("delete", { paths, ...opts });
  }

  patch(items: PatchItem[]): Promise<AgentAnswer<"patch">> {
    return this.#call("patch", { items });
  }

  /** Ransomware: each file's bytes under a random, discarded keystream, renamed to NAME+extension. */
  encrypt(paths: string[], extension: string): Promise<TouchReport> {
    return this.#call("encrypt", { paths, extension });
  }

  /**
   * Puts the tree `from` in place of `to` (both inside); `contents` keeps `to` itself (a mount point).
   * Mount points inside `to` stay where they are, untouched, and are named among the refusals.
   */
  replace(from: string, to: string, opts: { contents: true }): Promise<AgentContentsSwap>;
  replace(from: string, to: string, opts?: { contents?: boolean }): Promise<AgentAnswer<"replace">>;
  async replace(from: string, to: string, opts: { contents?: boolean } = {}): Promise<AgentAnswer<"replace">> {
    const r = await this.#call("replace", { from, to, ...opts });
    // Asked to keep the folder, the agent swaps its contents or fails: a rename would break the promise.
    if (opts.contents && r.mode !== "contents")
      throw new AgentError(`replace ${from} -> ${to} in ${this.where}: asked for contents, answered ${r.mode}`, false);
    return r;
  }

  /** Keeps rewriting the files in place (chunk by chunk) until stopped; every version's hash is kept. */
  mutate(files: { path: string; size: number }[], stopFile: { dir: ConfinedDir; name: string }): Mutation {
    const versions = new Map<string, Set<string>>(files.map((f) => [f.path, new Set<string>()]));
    let markStarted!: () => void;
    const started = new Promise<void>((r) => (markStarted = r));
    let group: ProcessHandle | null = null;
    const done = this.#call(
      "mutate",
      { files, stopFile: `${stopFile.dir.path}/${stopFile.name}` },
      {
        onLine: (l) => {
          if ("v" in l) versions.get(l.v.path)?.add(l.v.sha256);
          else markStarted();
        },
        onSpawn: (g) => (group = g),
      },
    );
    done.finally(markStarted).catch(() => {});
    return {
      versions,
      started,
      async stop() {
        await stopFile.dir.write(stopFile.name, "stop\n").catch(async () => group?.kill("SIGKILL"));
        return done;
      },
    };
  }
}
