// What a run holds on this machine that outlives a killed drdrill (a load writer, a tool call's
// process group, a tmpfs mount, a folder set aside for removal): written down as it is taken, so the
// next run or `drdrill clean` can remove what a run killed with SIGKILL left behind. The lease folder
// is the user's own (see leaseDir); a folder or lease file another user could have written is ignored.
import { constants } from "node:fs";
import { homedir, hostname } from "node:os";
import { mkdir, open, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** How to reach the host a `remote-tree` lease names again (the ssh target's settings, no secret among them). */
export interface LeaseHost {
  host: string;
  user?: string;
  port?: number;
  identityFile?: string;
  knownHostsFile?: string;
  hostKey: "strict" | "accept-new";
  sudo: boolean;
  /** drdrill's folder on the host (the agent that removes the tree runs from a folder made there). */
  workDir: string;
}

export interface Lease {
  kind: "process-group" | "mount" | "container" | "nft-table" | "process" | "tree" | "remote-tree";
  /**
   * pgid, mount point, container name, "family name" of the table, a pid, a folder set aside for removal, or a
   * folder on a host (`remote-tree`: a sandbox clone).
   */
  id: string;
  what: string;
  /**
   * For processes (required): a string the process's command line (or, for a group, the command line
   * or environment of one of its processes) must hold, so a reused pid is never killed.
   */
  match?: string;
  /** For `remote-tree`: the host the folder is on. */
  remote?: LeaseHost;
}

interface LeaseFile {
  ownerPid: number;
  host: string;
  startedAt: string;
  leases: Lease[];
}

/**
 * The user's lease folder: `DRDRILL_LEASE_DIR`, else `$XDG_RUNTIME_DIR/drdrill-leases`, else
 * `~/.cache/drdrill/leases` (`$XDG_CACHE_HOME` when set). Read when used, so a test can move it.
 */
export function leaseDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DRDRILL_LEASE_DIR) return env.DRDRILL_LEASE_DIR;
  if (env.XDG_RUNTIME_DIR) return join(env.XDG_RUNTIME_DIR, "drdrill-leases");
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "drdrill", "leases");
}

const me = () => process.geteuid?.() ?? 0;

/** Why a file or folder cannot be trusted as the user's own (null: it can). */
function untrusted(st: { uid: number; mode: number }): string | null {
  if (st.uid !== me()) return `owned by uid ${st.uid}, not by you (uid ${me()})`;
  if (st.mode & 0o022) return `writable by others (mode ${(st.mode & 0o777).toString(8).padStart(4, "0")})`;
  return null;
}

/** The lease folder's problem, if any (null: it is missing, or the user's own and closed to others). */
async function folderProblem(dir: string): Promise<string | null> {
  const st = await stat(dir).catch(() => null);
  if (!st) return null;
  if (!st.isDirectory()) return `lease folder ${dir} is not a folder: ignored`;
  const why = untrusted(st);
  return why ? `lease folder ${dir} is ${why}: ignored` : null;
}

const warned = new Set<string>();
/** Says once per process that leases cannot be written down (the run goes on without them). */
function warnOnce(text: string): void {
  if (warned.has(text)) return;
  warned.add(text);
  process.stderr.write(`drdrill: ${text}\n`);
}

const files = new Map<string, LeaseFile>();
let chain: Promise<unknown> = Promise.resolve();

const fileOf = (dir: string, run: string) => join(dir, `${run.replace(/[^\w.-]/g, "_")}.json`);

function serialize<T>(fn: () => Promise<T>): Promise<T> {
  const next = chain.then(fn, fn);
  chain = next.catch(() => {});
  return next;
}

/** Written whole or not at all (a sweep by another drdrill never reads half a lease file), for the user alone. */
async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text, { mode: 0o600 });
  await rename(tmp, path);
}

/** The folder to write leases in, made if missing; null (after a warning) when it is not the user's own. */
async function writableDir(): Promise<string | null> {
  const dir = leaseDir();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const problem = await folderProblem(dir);
  if (problem) {
    warnOnce(`${problem}; what this run leaves running is not written down for \`drdrill clean\``);
    return null;
  }
  return dir;
}

export function addLease(run: string, lease: Lease): Promise<void> {
  return serialize(async () => {
    const f = files.get(run) ?? {
      ownerPid: process.pid,
      host: hostname(),
      startedAt: new Date().toISOString(),
      leases: [],
    };
    f.leases.push(lease);
    files.set(run, f);
    const dir = await writableDir();
    if (dir) await writeAtomic(fileOf(dir, run), JSON.stringify(f, null, 1));
  });
}

export function dropLease(run: string, lease: Pick<Lease, "kind" | "id">): Promise<void> {
  return serialize(async () => {
    const f = files.get(run);
    if (!f) return;
    f.leases = f.leases.filter((l) => !(l.kind === lease.kind && l.id === lease.id));
    const dir = await writableDir();
    if (f.leases.length === 0) {
      files.delete(run);
      if (dir) await rm(fileOf(dir, run), { force: true });
    } else if (dir) await writeAtomic(fileOf(dir, run), JSON.stringify(f, null, 1));
  });
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

export interface LeftBehind {
  run: string;
  ownerPid: number;
  leases: Lease[];
}

/** A lease file's text, when it is a regular file of the user's that no one else can write (not followed if a link). */
async function readOwn(path: string): Promise<{ text: string } | { problem: string }> {
  const fh = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(
    (e: NodeJS.ErrnoException) => e,
  );
  if (fh instanceof Error) return { problem: fh.code === "ELOOP" ? "a symbolic link" : fh.message };
  try {
    const st = await fh.stat();
    if (!st.isFile()) return { problem: "not a regular file" };
    const why = untrusted(st);
    return why ? { problem: why } : { text: await fh.readFile("utf8") };
  } finally {
    await fh.close();
  }
}

/**
 * Lease files of runs whose drdrill no longer runs on this host, and what was ignored (a folder or
 * file another user could have written: never acted on).
 */
export async function leftBehind(): Promise<{ runs: LeftBehind[]; ignored: string[] }> {
  const dir = leaseDir();
  const problem = await folderProblem(dir);
  if (problem) return { runs: [], ignored: [problem] };
  const runs: LeftBehind[] = [];
  const ignored: string[] = [];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!name.endsWith(".json")) continue;
    const read = await readOwn(join(dir, name));
    if ("problem" in read) {
      ignored.push(`lease file ${join(dir, name)} is ${read.problem}: ignored`);
      continue;
    }
    // A file another drdrill is writing at this moment may not parse yet: its owner is alive anyway.
    let f: LeaseFile | null = null;
    try {
      f = JSON.parse(read.text) as LeaseFile | null;
    } catch {
      continue;
    }
    if (!f || f.host !== hostname() || !Number.isInteger(f.ownerPid) || alive(f.ownerPid)) continue;
    runs.push({ run: name.slice(0, -5), ownerPid: f.ownerPid, leases: Array.isArray(f.leases) ? f.leases : [] });
  }
  return { runs, ignored };
}

export async function forgetRun(run: string): Promise<void> {
  await rm(join(leaseDir(), `${run}.json`), { force: true });
}
