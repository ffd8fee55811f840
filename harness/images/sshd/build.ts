// Builds the SSH host image: the shared base (made if missing), then a classic `docker build` of
// ci/sshd, tagged by the recipe's hash so an unchanged recipe is a no-op.
import { buildOnBase, requireImage, type BuildOptions, type BuildResult } from "../build.ts";
import { SSHD_IMAGE_REPO, SSHD_RECIPE_DIR } from "./names.ts";
import { sshdRecipeRefs } from "./recipe.ts";

export function buildSshdImage(opts: BuildOptions = {}): Promise<BuildResult> {
  return buildOnBase(
    {
      name: "sshd",
      what: "sshd image build",
      refs: () => sshdRecipeRefs(),
      context: SSHD_RECIPE_DIR,
      note: "docker build",
      // older drdrill/sshd images only: the base is the lab's to prune
      prune: [SSHD_IMAGE_REPO],
    },
    opts,
  );
}

/** The image for the current recipe, or an EnvironmentError that says how to build it. */
export async function requireSshdImage(): Promise<string> {
  const { image } = await sshdRecipeRefs();
  return requireImage(
    image,
    `the SSH host image ${image} is not built (or ci/sshd changed): ` +
      "call buildSshdImage() from harness/images/sshd/build.ts",
  );
}
