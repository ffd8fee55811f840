// The VMs drdrill has running on this host, one JSON file each under `<cache>/running/`, so
// `drdrill vm status|stop` find them from another process and VMs of a dead drdrill are stopped.
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { vmCacheRoot } from "./names.ts";
import { processAlive, processCmdline, stopQemuPid } from "./vm-process.ts";

export interface VmRecord {
  id: string;
  /** `target`: a drill's VM, stopped with its drdrill; `manual`: `drdrill vm start`, stopped by `vm stop`. */
  role: "target" | "manual";
  pid: number;
  ownerPid: number;
  host: string;
  runDir: string;
  sshPort: number;
  identityFile: string;
  knownHostsFile: string;
  accel: "kvm" | "tcg";
  imageHash: string;
  startedAt: string;
}

const runningDir = (root: string) => join(root, "running");

export async function registerVm(rec: VmRecord, root = vmCacheRoot()): Promise<void> {
  await mkdir(runningDir(root), { recursive: true });
  await writeFile(join(runningDir(root), `${rec.id}.json`), `${JSON.stringify(rec, null, 2)}\n`);
}

export async function unregisterVm(id: string, root = vmCacheRoot()): Promise<void> {
  await rm(join(runningDir(root), `${id}.json`), { force: true });
}

/** Its qemu still runs: the pid is alive and is the qemu that writes into the record's folder. */
export function vmAlive(rec: VmRecord): boolean {
  return processAlive(rec.pid) && processCmdline(rec.pid).includes(rec.runDir);
}

/** Every record of this host; records whose qemu is gone are removed on the way. */
export async function listVms(root = vmCacheRoot()): Promise<VmRecord[]> {
  const out: VmRecord[] = [];
  for (const name of (await readdir(runningDir(root)).catch(() => [])).filter((n) => n.endsWith(".json")).sort()) {
    const rec = JSON.parse(await readFile(join(runningDir(root), name), "utf8").catch(() => "null")) as VmRecord | null;
    if (!rec || rec.host !== hostname()) continue;
    if (vmAlive(rec)) out.push(rec);
    else await unregisterVm(rec.id, root);
  }
  return out;
}

/** Stops one recorded VM (whoever started it) and forgets it. */
export async function stopRecordedVm(rec: VmRecord, root = vmCacheRoot()): Promise<void> {
  if (vmAlive(rec)) await stopQemuPid(rec.pid);
  await unregisterVm(rec.id, root);
}

/** Drill VMs whose drdrill no longer runs (killed hard, say): stopped; returns their ids. */
export async function stopOrphanVms(root = vmCacheRoot()): Promise<string[]> {
  const orphans = (await listVms(root)).filter((r) => r.role === "target" && !processAlive(r.ownerPid));
  for (const r of orphans) await stopRecordedVm(r, root);
  return orphans.map((r) => r.id);
}
