// Starts one SSH host container with a fresh client key for the run installed and the host key it
// printed pinned in a known_hosts file (clients reach it at its bridge IP, port 22); and finds and
// removes SSH host containers by label.
import { join } from "node:path";
import { EnvironmentError } from "../../model/errors.ts";
import { startContainer } from "../container.ts";
import { listContainers, removeOrphans, type ContainerInfo } from "../labels.ts";
import { requireSshdImage } from "./build.ts";
import { runClientKey, writeKnownHosts } from "./client-key.ts";
import { HOSTKEY_MARK, LISTENING_LINE, SSHD_KIND } from "./names.ts";

/** What an SSH host is for: a drill target, a backup destination (secondary site), or started by hand. */
export type SshdRole = "target" | "site" | "manual";

export interface SshdContainerOptions {
  /** Folder of this run: the client key and known_hosts files go to `runDir/ssh/`. */
  runDir: string;
  /** Who clients log in as (default root); both accept the run's key. */
  user?: "root" | "drill";
  name?: string;
  role?: SshdRole;
  /** Host folder -> container path. */
  extraMounts?: { source: string; target: string; mode?: "rw" | "ro" }[];
  /** Linux capabilities beyond docker's default set (SYS_ADMIN: a drill mounts a tmpfs; NET_ADMIN: a packet filter). */
  capabilities?: string[];
  startupTimeoutMs?: number;
}

export interface SshdHost extends AsyncDisposable {
  /** Its address on the docker bridge: where clients connect (same as `ip`). */
  host: string;
  port: number;
  user: "root" | "drill";
  identityFile: string;
  knownHostsFile: string;
  containerName: string;
  containerId: string;
  ip: string;
  /** From `docker run` to sshd listening. */
  readyMs: number;
  remove(): Promise<void>;
}

const DEFAULT_STARTUP_MS = 60_000;

export async function startSshdContainer(opts: SshdContainerOptions): Promise<SshdHost> {
  const image = await requireSshdImage();
  const keyDir = join(opts.runDir, "ssh");
  const key = await runClientKey(keyDir);
  const c = await startContainer({
    image,
    kind: SSHD_KIND,
    role: opts.role ?? "target",
    ...(opts.name ? { name: opts.name } : {}),
    env: { DRDRILL_AUTHORIZED_KEYS: key.publicKey },
    mounts: (opts.extraMounts ?? []).map((m) => ({ ...m, mode: m.mode ?? ("rw" as const) })),
    capabilities: opts.capabilities ?? [],
    waitFor: LISTENING_LINE,
    waitingFor: `sshd's "Server listening" line`,
    what: "SSH host container",
    startupTimeoutMs: opts.startupTimeoutMs ?? DEFAULT_STARTUP_MS,
    removeTimeoutMs: 60_000,
  });
  const { name, started, remove } = c;
  try {
    const isKey = (l: string) => l.startsWith(`${HOSTKEY_MARK} `);
    await c.log.until(isKey, 100, 20);
    const keys = c.log.filter(isKey).map((l) => l.slice(HOSTKEY_MARK.length + 1).trim());
    if (keys.length === 0)
      throw new EnvironmentError(`SSH host container ${name}: no "${HOSTKEY_MARK}" line in its log${c.log.tail()}`);
    const network = started.getNetworkNames()[0];
    const ip = network ? started.getIpAddress(network) : "";
    if (!ip) throw new EnvironmentError(`SSH host container ${name}: no IP address on a docker network`);
    const knownHostsFile = join(keyDir, `${name}.known_hosts`);
    await writeKnownHosts(knownHostsFile, ip, 22, keys);
    return {
      host: ip,
      port: 22,
      user: opts.user ?? "root",
      identityFile: key.identityFile,
      knownHostsFile,
      containerName: name,
      containerId: started.getId(),
      ip,
      readyMs: c.readyMs,
      remove,
      [Symbol.asyncDispose]: remove,
    };
  } catch (e) {
    await remove();
    throw e;
  }
}

/** drdrill's SSH host containers, whoever started them. */
export function listSshdContainers(): Promise<ContainerInfo[]> {
  return listContainers(SSHD_KIND);
}

/** SSH host containers (targets and sites) left by a drdrill that no longer runs on this host. */
export function removeSshdOrphans(): Promise<string[]> {
  return removeOrphans(SSHD_KIND, (role) => role !== "manual");
}
