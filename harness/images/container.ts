// Starts one of drdrill's containers with testcontainers from a local image (no registry, no Ryuk),
// labelled for removal by label, named after its kind, its log kept for error messages; a start that
// fails or times out removes the container and says what it waited for, with the log's last lines.
import type { Readable } from "node:stream";
import type { StartedTestContainer } from "testcontainers";
import { EnvironmentError } from "../model/errors.ts";
import { monoMs } from "../util/clock.ts";
import { docker } from "./docker.ts";
import { containerLabels } from "./labels.ts";
import { LogTail } from "./log-tail.ts";

export interface ContainerSpec {
  image: string;
  /** `drdrill=<kind>` on the container; its default name is `drdrill-<kind>-<pid>-<n>-<random>`. */
  kind: string;
  role: string;
  name?: string;
  env?: Record<string, string>;
  mounts?: { source: string; target: string; mode: "rw" | "ro" }[];
  capabilities?: string[];
  exposedPorts?: number[];
  networkMode?: string;
  /** The log line that says the container is ready. */
  waitFor: RegExp | string;
  /** In errors: what that line means (`sshd's "Server listening" line`). */
  waitingFor: string;
  /** In errors: the container's kind of thing (`lab container`, `SSH host container`). */
  what: string;
  startupTimeoutMs: number;
  /** How long `docker rm -f` may take at removal. */
  removeTimeoutMs: number;
}

export interface StartedContainer {
  started: StartedTestContainer;
  name: string;
  /** From `docker run` to the ready line. */
  readyMs: number;
  log: LogTail;
  /** Removes the container at once, with its anonymous volumes. */
  remove(): Promise<void>;
}

let counter = 0;

/** `drdrill-<kind>-<pid>-<n>-<4 random characters>`: unique on this host, and says who started it. */
export function containerName(kind: string): string {
  return `drdrill-${kind}-${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 6)}`;
}

/** testcontainers cannot pull Ryuk here: containers are removed by label instead. */
async function loadTestcontainers(): Promise<typeof import("testcontainers")> {
  process.env.TESTCONTAINERS_RYUK_DISABLED = "true";
  return import("testcontainers");
}

export async function startContainer(spec: ContainerSpec): Promise<StartedContainer> {
  const { GenericContainer, Wait } = await loadTestcontainers();
  const name = spec.name ?? containerName(spec.kind);
  const log = new LogTail();
  let container = new GenericContainer(spec.image)
    .withName(name)
    .withLabels(containerLabels(spec.kind, spec.role))
    .withEnvironment(spec.env ?? {})
    .withBindMounts(spec.mounts ?? [])
    .withWaitStrategy(Wait.forLogMessage(spec.waitFor))
    .withStartupTimeout(spec.startupTimeoutMs)
    .withLogConsumer((stream: Readable) => log.consume(stream));
  if (spec.capabilities?.length) container = container.withAddedCapabilities(...spec.capabilities);
  if (spec.exposedPorts?.length) container = container.withExposedPorts(...spec.exposedPorts);
  if (spec.networkMode) container = container.withNetworkMode(spec.networkMode);
  const t0 = monoMs();
  let started: StartedTestContainer;
  try {
    started = await container.start();
  } catch (e) {
    await docker(["rm", "-f", "-v", name]);
    const msg = (e as Error).message;
    const waited = Math.round(spec.startupTimeoutMs / 1000);
    throw new EnvironmentError(
      /not received after/.test(msg)
        ? `${spec.what} ${name}: waited ${waited} s for ${spec.waitingFor}, in vain${log.tail()}`
        : `${spec.what} ${name} did not start (${msg}) while waiting for ${spec.waitingFor}${log.tail()}`,
    );
  }
  const readyMs = monoMs() - t0;
  const remove = async () => {
    await docker(["rm", "-f", "-v", started.getId()], { timeoutMs: spec.removeTimeoutMs });
  };
  return { started, name, readyMs, log, remove };
}
