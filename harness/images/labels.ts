// The labels on every container drdrill starts (which image, what for, which drdrill process on
// which host), and finding and removing containers by them, orphans of dead drdrill processes included.
import { hostname } from "node:os";
import { docker } from "./docker.ts";

export const LABELS = {
  /** `drdrill=lab`, `drdrill=sshd`: which of drdrill's images the container runs. */
  kind: "drdrill",
  role: "drdrill.role",
  pid: "drdrill.pid",
  host: "drdrill.host",
  /** On images: the recipe hash they were built from. */
  recipe: "drdrill.recipe",
} as const;

export interface ContainerInfo {
  id: string;
  name: string;
  state: string;
  status: string;
  image: string;
  role: string;
  pid: number | null;
  host: string;
}

/** The labels of a new container: who started it, so orphans can be told from live ones. */
export function containerLabels(kind: string, role: string): Record<string, string> {
  return {
    [LABELS.kind]: kind,
    [LABELS.role]: role,
    [LABELS.pid]: String(process.pid),
    [LABELS.host]: hostname(),
  };
}

/** drdrill's containers of one kind, or of every kind when `kind` is not given. */
export async function listContainers(kind?: string): Promise<ContainerInfo[]> {
  const labels = [LABELS.role, LABELS.pid, LABELS.host].map((l) => `{{.Label "${l}"}}`);
  const fmt = ["{{.ID}}", "{{.Names}}", "{{.State}}", "{{.Status}}", "{{.Image}}", ...labels].join("\t");
  const filter = kind ? `label=${LABELS.kind}=${kind}` : `label=${LABELS.kind}`;
  const r = await docker(["ps", "-a", "--filter", filter, "--format", fmt]);
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
export async function removeContainers(list: ContainerInfo[]): Promise<string[]> {
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

/** Containers of `kind` (every kind if not given) whose role `ofRole` accepts, left by a drdrill that
 * no longer runs on this host (killed hard, say): removed; returns their names. */
export async function removeOrphans(kind: string | undefined, ofRole: (role: string) => boolean): Promise<string[]> {
  const me = hostname();
  const orphans = (await listContainers(kind)).filter(
    (c) => ofRole(c.role) && c.host === me && c.pid !== null && !processAlive(c.pid),
  );
  return removeContainers(orphans);
}
