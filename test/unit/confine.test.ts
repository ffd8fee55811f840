import { mkdir, symlink } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { confine, lexicalPathProblems } from "../../harness/faults/confine.ts";
import { tmp } from "../helpers/tmp.ts";

describe("fault confinement", () => {
  it("refuses absolute paths and .. before touching the disk", () => {
    expect(lexicalPathProblems("/etc/passwd")[0]).toMatch(/absolute/);
    expect(lexicalPathProblems("../x")[0]).toMatch(/leaves/);
    expect(lexicalPathProblems("a/../../x")[0]).toMatch(/leaves/);
    expect(lexicalPathProblems("a/../b")).toEqual([]);
  });

  it("refuses a path that escapes through a symlinked directory", async () => {
    const root = await tmp();
    const outside = await tmp();
    await mkdir(join(root, "data"));
    await symlink(outside, join(root, "data", "escape"));
    await expect(confine(join(root, "data"), "escape/victim")).rejects.toThrow(/outside/);
  });

  it("resolves paths inside, and a symlink itself (not its target) as the last component", async () => {
    const root = await tmp();
    const outside = await tmp();
    await mkdir(join(root, "lib"));
    await symlink(outside, join(root, "link-out"));
    expect(await confine(root, "lib")).toBe(join(root, "lib"));
    expect(await confine(root, "link-out")).toBe(join(root, "link-out"));
    expect(await confine(root, ".")).toBe(root);
  });
});
