// Small parts of the lab target that need no Docker: settings, what hot mode leaves out of the
// file comparison, and putting a restored tree into a directory that must stay (a mount point).
import { lstat, mkdir, mkdtemp, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Agent, agentScript, LOCAL_PYTHON } from "../../harness/agent/agent.ts";
import { ConfinedDir } from "../../harness/agent/confined-dir.ts";
import { LocalExecutor } from "../../harness/exec/local-executor.ts";
import { SecretStore } from "../../harness/util/secrets.ts";
import { labSettings } from "../../harness/targets/lab/settings.ts";
import { manifestExcludes } from "../../harness/targets/lab/volatile.ts";
import { scenarioSchema } from "../../harness/scenario/schema.ts";

describe("lab settings", () => {
  it("default to restoring onto the same node, and refuse unknown keys", () => {
    expect(labSettings.parse({})).toEqual({ restoreOnto: "same-node", projects: 3 });
    expect(labSettings.safeParse({ restoreOnto: "elsewhere" }).success).toBe(false);
    expect(labSettings.safeParse({ nodes: 2 }).success).toBe(false);
  });

  it("are checked when a scenario is loaded (targetSettings.lab)", () => {
    const base = { name: "x", tools: ["duplicity"], steps: [{ backup: "full" }] };
    expect(scenarioSchema.safeParse({ ...base, targetSettings: { lab: { restoreOnto: "fresh-node" } } }).success).toBe(
      true,
    );
    const bad = scenarioSchema.safeParse({ ...base, targetSettings: { lab: { restoreOnto: "moon" } } });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues[0]?.path)).toBe(JSON.stringify(["targetSettings", "lab", "restoreOnto"]));
  });
});

describe("hot mode", () => {
  it("leaves the live service files out of the comparison, cold mode nothing", () => {
    expect(manifestExcludes("cold")).toEqual([]);
    expect(manifestExcludes("hot")).toEqual(["lib/mysql", "lib/rabbitmq/mnesia", "log", "run"]);
  });
});

describe("putting a restored tree into a mount point (replace with contents)", () => {
  it("replaces the contents, keeps the directory itself (its inode), takes the source's mode", async () => {
    const root = await mkdtemp(join(tmpdir(), "drdrill-move-"));
    const dest = join(root, "common");
    const src = join(root, "staging", "common");
    await mkdir(join(dest, "old"), { recursive: true });
    await writeFile(join(dest, "old", "f"), "old");
    await mkdir(join(src, "etc"), { recursive: true, mode: 0o750 });
    await writeFile(join(src, "etc", "a.conf"), "restored");
    await writeFile(join(src, "top"), "t");
    const inode = (await stat(dest)).ino;
    await import("node:fs/promises").then((fs) => fs.chmod(src, 0o711));

    const own = new ConfinedDir(
      new Agent({ exec: new LocalExecutor(root, new SecretStore()), script: agentScript(), python: LOCAL_PYTHON }),
      root,
      "run folder",
    );
    expect(await own.replace("staging/common", "common", { contents: true })).toMatchObject({
      moved: 2,
      mode: "contents",
    });
    expect((await stat(dest)).ino).toBe(inode);
    expect((await readdir(dest)).sort()).toEqual(["etc", "top"]);
    expect(await readFile(join(dest, "etc", "a.conf"), "utf8")).toBe("restored");
    expect((await stat(dest)).mode & 0o777).toBe(0o711);
    expect(await lstat(src).catch(() => null)).toBeNull();
  });
});
