// One lab node: a container started from the lab image with the run's folder on /drdrill and the
// data directory bind-mounted on $SNAP_COMMON, plus what the executor needs to reach its processes.
import { docker } from "../../images/docker.ts";
import { startLabContainer, type LabContainer } from "../../images/lab/container.ts";
import { SNAP_COMMON } from "../../images/lab/names.ts";
import { ContainerProcs } from "./container-procs.ts";
import type { ExecContainer } from "./docker-executor.ts";

/** Where the run's folder appears inside the container. */
export const RUN_MOUNT = "/drdrill";
/** Where a restore test's repository (a folder of this machine) appears inside the container, read only. */
export const SOURCE_MOUNT = "/drdrill-source";

export interface LabNode {
  container: LabContainer;
  exec: ExecContainer;
  /** Initialised at boot with new keys and passwords (rather than the baked cloud, or existing data). */
  fresh: boolean;
}

export async function startNode(opts: {
  runDir: string;
  dataDir: string;
  fresh: boolean;
  replication?: "primary" | "standby";
  networkMode?: string;
  /** No service started, nothing initialised: a restore test's sandbox (the restored tree is only checked). */
  idle?: boolean;
  /** A restore test's repository on this machine: bind-mounted read only on SOURCE_MOUNT. */
  sourceFolder?: string;
}): Promise<LabNode> {
  const container = await startLabContainer({
    role: "target",
    fresh: opts.fresh,
    ...(opts.idle ? { idle: true } : {}),
    ...(opts.replication ? { replication: opts.replication } : {}),
    ...(opts.networkMode ? { networkMode: opts.networkMode } : {}),
    mounts: [
      { source: opts.runDir, target: RUN_MOUNT },
      { source: opts.dataDir, target: SNAP_COMMON },
      ...(opts.sourceFolder ? [{ source: opts.sourceFolder, target: SOURCE_MOUNT, mode: "ro" as const }] : []),
    ],
  });
  const pid = Number((await docker(["inspect", "-f", "{{.State.Pid}}", container.id])).stdout.trim());
  return { container, exec: { name: container.name, procs: new ContainerProcs(pid) }, fresh: opts.fresh };
}
