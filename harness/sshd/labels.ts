// Finding and removing drdrill's SSH host containers by label, including orphans of dead drdrill processes.
import { hostname } from "node:os";
import { docker } from "../lab/docker.ts";
import { removeContainers, type LabContainerInfo } from "../lab/labels.ts";
import { LABELS } from "../lab/names.ts";
import { SSHD_LABEL_VALUE } from "./names.ts";

/** What an SSH host is for: a drill target, a backup destination (secondary site), or started by hand. */
export type SshdRole = "target" | "site" | "manual";

/** The labels every SSH host container gets: who started it, so orphans can be told from live ones. */
export function sshdLabels(role: SshdRole): Record<string, string> {
  return {
    [LABELS.kind]: SSHD_LABEL_VALUE,
    [LABELS.role]: role,
    [LABELS.pid]: String(process.pid),
    [LABELS.host]: hostname(),
  };
}

export async function listSshdContainers(): Promise<LabContainerInfo[]> {
  const fmt = `{{.ID}}\t{{.Names}}\t{{.State}}\t{{.Status}}\t{{.Image}}\t{{.Label "${LABELS.role}"}}\t{{.Label "${LABELS.pid}"}}\t{{.Label "${LABELS.host}"}}`;
  const r = await docker(["ps", "-a", "--filter", `label=${LABELS.kind}=${SSHD_LABEL_VALUE}`, "--format", fmt]);
  return r.stdout
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [id, name, state, status, image, role, pid, host] = line.split("\t");
      return {
        id: id!,
        name: name!,
        state: state!,
        status: status!,
        image: image!,
        role: role ?? "",
        pid: pid ? Number(pid) : null,
        host: host ?? "",
      };
    });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** SSH host containers (targets and sites) left by a drdrill that no longer runs on this host. */
export async function removeSshdOrphans(): Promise<string[]> {
  const me = hostname();
  const orphans = (await listSshdContainers()).filter(
    (c) => c.role !== "manual" && c.host === me && c.pid !== null && !processAlive(c.pid),
  );
  return removeContainers(orphans);
}

/** Every SSH host container, whoever started it. */
export async function removeAllSshdContainers(): Promise<string[]> {
  return removeContainers(await listSshdContainers());
}
