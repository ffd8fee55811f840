// The lab image is tagged by a hash of its recipe: same files, same tag; any change, a new tag.
import { chmod, cp, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LAB_RECIPE_DIR } from "../../harness/images/lab/names.ts";
import { labRecipeRefs } from "../../harness/images/lab/recipe.ts";

async function copyRecipe(): Promise<string> {
  const dir = join(await mkdtemp(join(tmpdir(), "drdrill-recipe-")), "lab");
  await cp(LAB_RECIPE_DIR, dir, { recursive: true });
  return dir;
}

describe("lab recipe hash", () => {
  it("is stable for an unchanged recipe, wherever it lives", async () => {
    const a = await labRecipeRefs();
    const b = await labRecipeRefs(await copyRecipe());
    expect(b).toEqual(a);
    expect(a.image).toMatch(/^drdrill\/microstack-lab:[0-9a-f]{12}$/);
    expect(a.base).toMatch(/^drdrill\/bookworm-minbase:[0-9a-f]{12}$/);
  });

  it("changes with a file's content or executable bit, and with the base recipe", async () => {
    const a = await labRecipeRefs();
    const content = await copyRecipe();
    await writeFile(
      join(content, "image", "rootfs", "opt", "microstack-lab", "templates", "rabbitmq.conf"),
      "listeners.tcp.default = 5672\n",
    );
    expect((await labRecipeRefs(content)).image).not.toBe(a.image);

    const mode = await copyRecipe();
    await chmod(join(mode, "image", "rootfs", "usr", "local", "bin", "snap"), 0o644);
    expect((await labRecipeRefs(mode)).image).not.toBe(a.image);

    const base = await copyRecipe();
    await writeFile(join(base, "base.sh"), "#!/bin/bash\n# changed\n");
    const refs = await labRecipeRefs(base);
    expect(refs.base).not.toBe(a.base);
    expect(refs.image).not.toBe(a.image);
  });
});
