// What `drdrill lab status` shows of an image and its containers: built or not (and its size), and
// each container with who started it.
import { docker, imageExists } from "./docker.ts";
import type { ContainerInfo } from "./labels.ts";

/** `image REF: built (1.40 GB)`, or `image REF: not built (<how>)`. */
export async function imageStatusLine(image: string, howToBuild: string): Promise<string> {
  if (!(await imageExists(image))) return `image ${image}: not built (${howToBuild})`;
  const size = Number((await docker(["image", "inspect", "-f", "{{.Size}}", image])).stdout.trim());
  return `image ${image}: built (${(size / 1e9).toFixed(2)} GB)`;
}

/** One line per container, or `containers: none`. */
export function containerStatusLines(containers: ContainerInfo[]): string[] {
  if (containers.length === 0) return ["containers: none"];
  return containers.map(
    (c) => `container ${c.name} (${c.role || "?"}, pid ${c.pid ?? "?"}): ${c.status}  image ${c.image}`,
  );
}
