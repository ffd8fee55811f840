// `drdrill lab build`: the base (debootstrap, docker import), then a classic `docker build` of
// ci/lab/image; and the check that the image for the current recipe is there before a lab starts.
import { join } from "node:path";
import { BASE_REPO } from "../base.ts";
import { buildOnBase, requireImage, type BuildOptions, type BuildResult } from "../build.ts";
import { LAB_IMAGE_REPO, LAB_RECIPE_DIR } from "./names.ts";
import { labRecipeRefs } from "./recipe.ts";

export function buildLabImage(opts: BuildOptions = {}): Promise<BuildResult> {
  return buildOnBase(
    {
      name: "lab",
      what: "lab build",
      refs: () => labRecipeRefs(),
      context: join(LAB_RECIPE_DIR, "image"),
      note: "docker build; a few minutes from scratch, less with cached layers",
      // the lab owns the base: older bases go with older lab images
      prune: [LAB_IMAGE_REPO, BASE_REPO],
    },
    opts,
  );
}

/** The image for the current recipe, or an EnvironmentError that says to build it. */
export async function requireLabImage(): Promise<string> {
  const { image } = await labRecipeRefs();
  return requireImage(
    image,
    `the lab image ${image} is not built (or the recipe in ci/lab changed): run \`node bin/drdrill.js lab build\``,
  );
}
