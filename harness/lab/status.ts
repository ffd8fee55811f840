// `drdrill lab status`: is the image for the current recipe built, and which lab containers exist.
import { docker, imageExists } from "./docker.ts";
import { listLabContainers } from "./labels.ts";
import { recipeRefs } from "./recipe.ts";

export async function labStatus(): Promise<string[]> {
  const refs = await recipeRefs();
  const built = await imageExists(refs.image);
  const size = built ? Number((await docker(["image", "inspect", "-f", "{{.Size}}", refs.image])).stdout.trim()) : 0;
  const lines = [
    `image ${refs.image}: ${built ? `built (${(size / 1e9).toFixed(2)} GB)` : "not built (drdrill lab build)"}`,
  ];
  const containers = await listLabContainers();
  if (containers.length === 0) lines.push("containers: none");
  for (const c of containers)
    lines.push(`container ${c.name} (${c.role || "?"}, pid ${c.pid ?? "?"}): ${c.status}  image ${c.image}`);
  return lines;
}
