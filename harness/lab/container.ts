// Starts one lab container with testcontainers from the local image (no registry, no Ryuk),
// labelled for removal by label, and waits until MicroStack answers, with a timeout that says
// what it waited for and shows the container's last log lines.
import type { Readable } from "node:stream";
import { EnvironmentError } from "../model/errors.ts";
import { monoMs } from "../util/clock.ts";
import { requireLabImage } from "./build.ts";
import { docker } from "./docker.ts";
import { labLabels } from "./labels.ts";
import { FAILED_LINE, READY_LINE } from "./names.ts";

export interface LabContainerOptions {
  role: "target" | "manual";
  name?: string;
  /** Host folder -> container path. */
  mounts?: { source: string; target: string }[];
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
const TAIL_LINES = 25;

let counter = 0;

/** testcontainers cannot pull Ryuk here: containers are removed by label instead. */
async function loadTestcontainers(): Promise<typeof import("testcontainers")> {
  process.env.TESTCONTAINERS_RYUK_DISABLED = "true";
  return import("testcontainers");
}

export async function startLabContainer(opts: LabContainerOptions): Promise<LabContainer> {
  const image = await requireLabImage();
  const { GenericContainer, Wait } = await loadTestcontainers();
  const name = opts.name ?? `drdrill-lab-${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 6)}`;
  const timeoutMs = opts.startupTimeoutMs ?? DEFAULT_STARTUP_MS;
  const lines: string[] = [];
  let partial = "";
  let container = new GenericContainer(image)
    .withName(name)
    .withLabels(labLabels(opts.role))
    .withEnvironment({
      ...(opts.replication === "standby"
        ? { MICROSTACK_LAB_INIT: "standby" }
        : opts.fresh
          ? { MICROSTACK_LAB_INIT: "fresh" }
          : {}),
      ...(opts.replication ? { MICROSTACK_LAB_REPLICATION: opts.replication } : {}),
    })
    .withBindMounts((opts.mounts ?? []).map((m) => ({ ...m, mode: "rw" as const })))
    .withWaitStrategy(Wait.forLogMessage(new RegExp(`${READY_LINE}|${FAILED_LINE}`)))
    .withStartupTimeout(timeoutMs)
    .withLogConsumer((stream: Readable) => {
      stream.on("data", (d: Buffer | string) => {
        const parts = (partial + d.toString()).split("\n");
        partial = parts.pop() ?? "";
        lines.push(...parts.filter(Boolean));
        lines.splice(0, Math.max(0, lines.length - 200));
      });
    });
  if (opts.publishKeystone) container = container.withExposedPorts(5000);
  if (opts.networkMode) container = container.withNetworkMode(opts.networkMode);
  const tail = () => (lines.length > 0 ? `; its last log lines:\n  ${lines.slice(-TAIL_LINES).join("\n  ")}` : "");
  const what = `"${READY_LINE}" in its log (every service answering and \`openstack token issue\` working)`;
  const t0 = monoMs();
  let started;
  try {
    started = await container.start();
  } catch (e) {
    await docker(["rm", "-f", "-v", name]);
    const msg = (e as Error).message;
    const timedOut = /not received after/.test(msg);
    throw new EnvironmentError(
      timedOut
        ? `lab container ${name}: waited ${Math.round(timeoutMs / 1000)} s for ${what}, in vain${tail()}`
        : `lab container ${name} did not start (${msg}) while waiting for ${what}${tail()}`,
    );
  }
  const readyMs = monoMs() - t0;
  const remove = async () => {
    await docker(["rm", "-f", "-v", started.getId()], { timeoutMs: 120_000 });
  };
  // The log consumer reads its own stream: give it a moment to deliver the line the wait saw.
  const isEnd = (l: string) => l.includes(READY_LINE) || l.includes(FAILED_LINE);
  for (let i = 0; i < 40 && !lines.some(isEnd); i++) await new Promise((r) => setTimeout(r, 50));
  const readyLine = lines.find(isEnd) ?? (isEnd(partial) ? partial : READY_LINE);
  if (readyLine.includes(FAILED_LINE)) {
    await remove();
    throw new EnvironmentError(`lab container ${name} reported "${readyLine.trim()}"${tail()}`);
  }
  return {
    id: started.getId(),
    name,
    image,
    readyMs,
    readyLine: readyLine.trim(),
    ...(opts.publishKeystone ? { keystoneUrl: `http://${started.getHost()}:${started.getMappedPort(5000)}/v3` } : {}),
    remove,
  };
}
