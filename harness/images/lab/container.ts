// Starts one lab container and waits until MicroStack answers (its entrypoint's READY line); and
// finds and removes lab containers by label.
import { EnvironmentError } from "../../model/errors.ts";
import { startContainer } from "../container.ts";
import { listContainers, removeContainers, removeOrphans, type ContainerInfo } from "../labels.ts";
import { requireLabImage } from "./build.ts";
import { FAILED_LINE, LAB_KIND, READY_LINE } from "./names.ts";

export interface LabContainerOptions {
  role: "target" | "manual";
  name?: string;
  /** Host folder -> container path. */
  mounts?: { source: string; target: string; mode?: "rw" | "ro" }[];
  /** Docker's network mode, e.g. `container:ID` to share another container's network (a node at site B). */
  networkMode?: string;
  /** Initialise a freshly keyed cloud on an empty $SNAP_COMMON instead of unpacking the baked one. */
  fresh?: boolean;
  /**
   * MariaDB replication: a primary keeps a binary log and listens on its network; a standby (at site
   * B) starts with nothing initialised or running, its data directory filled by replication, and its
   * MariaDB read-only with a server id of its own.
   */
  replication?: "primary" | "standby";
  /** Start no services and initialise nothing (the entrypoint's standby mode): a restore test's sandbox. */
  idle?: boolean;
  /** Publish Keystone's port 5000 on a random host port (for people poking at the lab). */
  publishKeystone?: boolean;
  startupTimeoutMs?: number;
}

export interface LabContainer {
  id: string;
  name: string;
  image: string;
  /** From `docker run` to the ready line. */
  readyMs: number;
  /** The entrypoint's ready line, e.g. "MICROSTACK-LAB READY (baked state, 12 s)". */
  readyLine: string;
  keystoneUrl?: string;
  /** Removes the container at once (its state lives in bind mounts, or is disposable). */
  remove(): Promise<void>;
}

const DEFAULT_STARTUP_MS = 240_000;

/** What the entrypoint is told to do with MicroStack's state. */
function labEnv(opts: LabContainerOptions): Record<string, string> {
  return {
    ...(opts.replication === "standby" || opts.idle
      ? { MICROSTACK_LAB_INIT: "standby" }
      : opts.fresh
        ? { MICROSTACK_LAB_INIT: "fresh" }
        : {}),
    ...(opts.replication ? { MICROSTACK_LAB_REPLICATION: opts.replication } : {}),
  };
}

export async function startLabContainer(opts: LabContainerOptions): Promise<LabContainer> {
  const image = await requireLabImage();
  const c = await startContainer({
    image,
    kind: LAB_KIND,
    role: opts.role,
    ...(opts.name ? { name: opts.name } : {}),
    env: labEnv(opts),
    mounts: (opts.mounts ?? []).map((m) => ({ ...m, mode: m.mode ?? ("rw" as const) })),
    ...(opts.publishKeystone ? { exposedPorts: [5000] } : {}),
    ...(opts.networkMode ? { networkMode: opts.networkMode } : {}),
    waitFor: new RegExp(`${READY_LINE}|${FAILED_LINE}`),
    waitingFor: `"${READY_LINE}" in its log (every service answering and \`openstack token issue\` working)`,
    what: "lab container",
    startupTimeoutMs: opts.startupTimeoutMs ?? DEFAULT_STARTUP_MS,
    removeTimeoutMs: 120_000,
  });
  const isEnd = (l: string) => l.includes(READY_LINE) || l.includes(FAILED_LINE);
  await c.log.until(isEnd, 40, 50);
  const readyLine = c.log.find(isEnd) ?? READY_LINE;
  if (readyLine.includes(FAILED_LINE)) {
    await c.remove();
    throw new EnvironmentError(`lab container ${c.name} reported "${readyLine.trim()}"${c.log.tail()}`);
  }
  return {
    id: c.started.getId(),
    name: c.name,
    image,
    readyMs: c.readyMs,
    readyLine: readyLine.trim(),
    ...(opts.publishKeystone
      ? { keystoneUrl: `http://${c.started.getHost()}:${c.started.getMappedPort(5000)}/v3` }
      : {}),
    remove: c.remove,
  };
}

/** Every container labelled drdrill (lab or SSH host), whoever started it. */
export function listLabContainers(): Promise<ContainerInfo[]> {
  return listContainers();
}

/** Target containers (of any kind) left by a drdrill that no longer runs on this host. */
export function removeLabOrphans(): Promise<string[]> {
  return removeOrphans(undefined, (role) => role === "target");
}

/** Every container labelled drdrill, whoever started it. */
export async function removeAllLabContainers(): Promise<string[]> {
  return removeContainers(await listContainers());
}
