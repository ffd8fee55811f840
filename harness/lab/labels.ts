// Finding and removing drdrill's lab containers by label, including orphans of dead drdrill processes.
import { hostname } from "node:os";
import { docker } from "./docker.ts";
import { LAB_LABEL_VALUE, LABELS } from "./names.ts";

export interface LabContainerInfo {
  id: string;
  name: string;
  state: string;
  status: string;
  image: string;
  role: string;
  pid: number | null;
  host: string;
}

/** The labels every lab container gets: who started it, so orphans can be told from live ones. */
export function labLabels(role: "target" | "manual"): Record<string, string> {
  return {
    [LABELS.kind]: LAB_LABEL_VALUE,
    [LABELS.role]: role,
    [LABELS.pid]: String(process.pid),
    [LABELS.host]: hostname(),
  };
}

export async function listLabContainers(): Promise<LabContainerInfo[]> {
  const fmt = `{{.ID}}\t{{.Names}}\t{{.State}}\t{{.Status}}\t{{.Image}}\t{{.Label "${LABELS.role}"}}\t{{.Label "${LABELS.pid}"}}\t{{.Label "${LABELS.host}"}}`;
  const r = await docker(["ps", "-a", "--filter", `label=${LABELS.kind}`, "--format", fmt]);
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

/** Force-removes containers (and their anonymous volumes); returns the names removed. */
export async function removeContainers(list: LabContainerInfo[]): Promise<string[]> {
  if (list.length === 0) return [];
  await docker(["rm", "-f", "-v", ...list.map((c) => c.id)], { timeoutMs: 120_000 });
  return list.map((c) => c.name);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Target containers left by a drdrill that no longer runs on this host (killed hard, say). */
export async function removeOrphans(): Promise<string[]> {
  const me = hostname();
  const orphans = (await listLabContainers()).filter(
    (c) => c.role === "target" && c.host === me && c.pid !== null && !processAlive(c.pid),
  );
  return removeContainers(orphans);
}

/** Every container labelled drdrill, whoever started it. */
export async function removeAllLabContainers(): Promise<string[]> {
  return removeContainers(await listLabContainers());
}
