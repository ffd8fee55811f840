// The SSH host image is tagged by a hash of ci/sshd and of the lab base it starts from: same files, same
// tag; a changed file or executable bit, a new tag; its README changes nothing.
import { chmod, cp, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { labRecipeRefs } from "../../harness/images/lab/recipe.ts";
import { SSHD_RECIPE_DIR } from "../../harness/images/sshd/names.ts";
import { sshdRecipeRefs } from "../../harness/images/sshd/recipe.ts";

async function copyRecipe(): Promise<string> {
  const dir = join(await mkdtemp(join(tmpdir(), "drdrill-sshd-recipe-")), "sshd");
  await cp(SSHD_RECIPE_DIR, dir, { recursive: true });
  return dir;
}

describe("sshd recipe hash", () => {
  it("is stable for an unchanged recipe, wherever it lives, and starts from the lab's base", async () => {
    const a = await sshdRecipeRefs();
    expect(await sshdRecipeRefs(await copyRecipe())).toEqual(a);
    expect(a.image).toMatch(/^drdrill\/sshd:[0-9a-f]{12}$/);
    expect(a.base).toBe((await labRecipeRefs()).base);
  });

  it("changes with a file's content or executable bit, not with the README", async () => {
    const a = await sshdRecipeRefs();
    const content = await copyRecipe();
    await writeFile(join(content, "rootfs", "etc", "ssh", "sshd_config.d", "drdrill.conf"), "MaxSessions 10\n");
    expect((await sshdRecipeRefs(content)).image).not.toBe(a.image);

    const mode = await copyRecipe();
    await chmod(join(mode, "rootfs", "usr", "local", "sbin", "drdrill-sshd-entrypoint"), 0o644);
    expect((await sshdRecipeRefs(mode)).image).not.toBe(a.image);

    const readme = await copyRecipe();
    await writeFile(join(readme, "README.md"), "# changed\n");
    expect((await sshdRecipeRefs(readme)).image).toBe(a.image);
  });
});
