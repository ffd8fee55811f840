// Starts one SSH host container with testcontainers from the local image (no registry, no Ryuk),
// labelled for removal by label, with a fresh client key for the run installed and the host key it
// printed pinned in a known_hosts file. Clients reach it at its bridge IP, port 22.
import { join } from "node:path";
import type { Readable } from "node:stream";
import { docker } from "../lab/docker.ts";
import { EnvironmentError } from "../model/errors.ts";
import { monoMs } from "../util/clock.ts";
import { requireSshdImage } from "./build.ts";
import { runClientKey, writeKnownHosts } from "./client-key.ts";
import { sshdLabels, type SshdRole } from "./labels.ts";
import { HOSTKEY_MARK, LISTENING_LINE } from "./names.ts";

export interface SshdContainerOptions {
  /** Folder of this run: the client key and known_hosts files go to `runDir/ssh/`. */
  runDir: string;
  /** Who clients log in as (default root); both accept the run's key. */
  user?: "root" | "drill";
  name?: string;
  role?: SshdRole;
  /** Host folder -> container path. */
  extraMounts?: { source: string; target: string; mode?: "rw" | "ro" }[];
  /** Linux capabilities beyond docker's default set (SYS_ADMIN lets a drill mount a tmpfs; NET_ADMIN, a packet filter). */
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
const TAIL_LINES = 20;

let counter = 0;

/** testcontainers cannot pull Ryuk here: containers are removed by label instead. */
async function loadTestcontainers(): Promise<typeof import("testcontainers")> {
  process.env.TESTCONTAINERS_RYUK_DISABLED = "true";
  return import("testcontainers");
}

export async function startSshdContainer(opts: SshdContainerOptions): Promise<SshdHost> {
  const image = await requireSshdImage();
  const keyDir = join(opts.runDir, "ssh");
  const key = await runClientKey(keyDir);
  const { GenericContainer, Wait } = await loadTestcontainers();
  const name = opts.name ?? `drdrill-sshd-${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 6)}`;
  const timeoutMs = opts.startupTimeoutMs ?? DEFAULT_STARTUP_MS;
  const lines: string[] = [];
  let partial = "";
  const container = new GenericContainer(image)
    .withName(name)
    .withLabels(sshdLabels(opts.role ?? "target"))
    .withEnvironment({ DRDRILL_AUTHORIZED_KEYS: key.publicKey })
    .withBindMounts((opts.extraMounts ?? []).map((m) => ({ ...m, mode: m.mode ?? ("rw" as const) })))
    .withWaitStrategy(Wait.forLogMessage(LISTENING_LINE))
    .withStartupTimeout(timeoutMs)
    .withAddedCapabilities(...(opts.capabilities ?? []))
    .withLogConsumer((stream: Readable) => {
      stream.on("data", (d: Buffer | string) => {
        const parts = (partial + d.toString()).split("\n");
        partial = parts.pop() ?? "";
        lines.push(...parts.filter(Boolean));
        lines.splice(0, Math.max(0, lines.length - 200));
      });
    });
  const tail = () => (lines.length > 0 ? `; its last log lines:\n  ${lines.slice(-TAIL_LINES).join("\n  ")}` : "");
  const t0 = monoMs();
  let started;
  try {
    started = await container.start();
  } catch (e) {
    await docker(["rm", "-f", "-v", name]);
    const msg = (e as Error).message;
    const waited = /not received after/.test(msg)
      ? `waited ${Math.round(timeoutMs / 1000)} s for sshd's "Server listening" line, in vain`
      : `did not start (${msg})`;
    throw new EnvironmentError(`SSH host container ${name}: ${waited}${tail()}`);
  }
  const readyMs = monoMs() - t0;
  const remove = async () => {
    await docker(["rm", "-f", "-v", started.getId()], { timeoutMs: 60_000 });
  };
  try {
    // The log consumer reads its own stream: give it a moment to deliver the host key line.
    const hostKeys = () =>
      lines.filter((l) => l.startsWith(`${HOSTKEY_MARK} `)).map((l) => l.slice(HOSTKEY_MARK.length + 1).trim());
    for (let i = 0; i < 100 && hostKeys().length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    const keys = hostKeys();
    if (keys.length === 0)
      throw new EnvironmentError(`SSH host container ${name}: no "${HOSTKEY_MARK}" line in its log${tail()}`);
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
      readyMs,
      remove,
      [Symbol.asyncDispose]: remove,
    };
  } catch (e) {
    await remove();
    throw e;
  }
}
