// What a run holds on this machine that outlives a killed drdrill (a load writer, a tmpfs mount, a
// container, a VM, a firewall table): written down as it is taken, so the next run or `drdrill
// clean` can remove what a run killed with SIGKILL left behind.
import { hostname, tmpdir } from "node:os";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface Lease {
  kind: "process-group" | "mount" | "container" | "nft-table" | "process" | "tree";
  /** pgid, mount point, container name, "family name" of the table, a pid, or a folder set aside for removal. */
  id: string;
  what: string;
  /** For processes: a string their command line must hold, so a reused pid is never killed. */
  match?: string;
}

interface LeaseFile {
  ownerPid: number;
  host: string;
  startedAt: string;
  leases: Lease[];
}

export const LEASE_DIR = process.env.DRDRILL_LEASE_DIR ?? join(tmpdir(), "drdrill-leases");

const files = new Map<string, LeaseFile>();
let chain: Promise<unknown> = Promise.resolve();

const fileOf = (run: string) => join(LEASE_DIR, `${run.replace(/[^\w.-]/g, "_")}.json`);

function serialize<T>(fn: () => Promise<T>): Promise<T> {
  const next = chain.then(fn, fn);
  chain = next.catch(() => {});
  return next;
}

/** Written whole or not at all: a sweep by another drdrill never reads half a lease file. */
async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
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
    await mkdir(LEASE_DIR, { recursive: true, mode: 0o700 });
    await writeAtomic(fileOf(run), JSON.stringify(f, null, 1));
  });
}

export function dropLease(run: string, lease: Pick<Lease, "kind" | "id">): Promise<void> {
  return serialize(async () => {
    const f = files.get(run);
    if (!f) return;
    f.leases = f.leases.filter((l) => !(l.kind === lease.kind && l.id === lease.id));
    if (f.leases.length === 0) {
      files.delete(run);
      await rm(fileOf(run), { force: true });
    } else await writeAtomic(fileOf(run), JSON.stringify(f, null, 1));
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

/** Lease files of runs whose drdrill no longer runs on this host. */
export async function leftBehind(): Promise<LeftBehind[]> {
  const out: LeftBehind[] = [];
  for (const name of await readdir(LEASE_DIR).catch(() => [] as string[])) {
    if (!name.endsWith(".json")) continue;
    // A file another drdrill is writing at this moment may not parse yet: its owner is alive anyway.
    let f: LeaseFile | null = null;
    try {
      f = JSON.parse(await readFile(join(LEASE_DIR, name), "utf8")) as LeaseFile | null;
    } catch {
      continue;
    }
    if (!f || f.host !== hostname() || alive(f.ownerPid)) continue;
    out.push({ run: name.slice(0, -5), ownerPid: f.ownerPid, leases: f.leases });
  }
  return out;
}

export async function forgetRun(run: string): Promise<void> {
  await rm(join(LEASE_DIR, `${run}.json`), { force: true });
}
