// `drdrill lab status`: is the image for the current recipe built, and which of drdrill's containers exist.
import { listContainers } from "../labels.ts";
import { containerStatusLines, imageStatusLine } from "../status.ts";
import { labRecipeRefs } from "./recipe.ts";

export async function labStatus(): Promise<string[]> {
  const { image } = await labRecipeRefs();
  return [await imageStatusLine(image, "drdrill lab build"), ...containerStatusLines(await listContainers())];
}
