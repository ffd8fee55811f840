// The agent never leaves its root: every operation over a tree of traps refuses what leads out,
// says so, and leaves the canaries outside byte-identical.
import { rename, rm, symlink, mkdir, writeFile, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Agent, agentScript, LOCAL_PYTHON } from "../../harness/agent/agent.ts";
import { ConfinedDir } from "../../harness/agent/confined-dir.ts";
import { LocalExecutor } from "../../harness/exec/local-executor.ts";
import { SecretStore } from "../../harness/util/secrets.ts";
import { tmp } from "../helpers/tmp.ts";
import { buildTrapTree, type TrapTree } from "../helpers/traps.ts";

let tree: TrapTree;
let dir: ConfinedDir;
let before: string;

beforeEach(async () => {
  const root = await tmp();
  tree = await buildTrapTree(root, { mount: true });
  const agent = new Agent({
    exec: new LocalExecutor(root, new SecretStore()),
    script: agentScript(),
    python: LOCAL_PYTHON,
  });
  dir = new ConfinedDir(agent, tree.data, "data directory");
  before = await tree.canaries();
});

afterEach(async () => {
  expect(await tree.canaries()).toBe(before);
  await tree.unmount();
});

const reasons = (r: { refused: { path: string; reason: string }[] }) =>
  r.refused.map((x) => `${x.path}: ${x.reason}`).join("\n");

describe("agent confinement", () => {
  it("deleting everything removes the data, refuses the hard link leading out and the other file system", async () => {
    const r = await dir.delete(["."]);
    expect(reasons(r)).toMatch(/lib\/mysql\/hl\.dat: .*hard-linked: 1 of its 2 names lie outside/);
    if (tree.traps.mount) expect(reasons(r)).toMatch(/mnt: another file system/);
    const left = await dir.list();
    expect(left.files.map((f) => f.path)).toEqual(["lib/mysql/hl.dat"]);
  });

  it("a folder parameter that is a symlink, or runs through one, is refused", async () => {
    await expect(dir.list("ld")).rejects.toThrow(/"ld" is a symlink or not a directory; not followed/);
    await expect(dir.list("sub/mid")).rejects.toThrow(/"sub\/mid" is a symlink/);
    const r = await dir.delete(["sub/mid/c.txt", "ld/c.txt"]);
    expect(r.touched).toBe(0);
    expect(r.refusedCount).toBe(2);
  });

  it("a final symlink is acted on itself, never followed", async () => {
    const patched = await dir.patch([
      { path: "lf", offset: 0, length: 4, mode: "overwrite" },
      { path: "lf", truncate: 0 },
    ]);
    expect(patched.touched).toBe(0);
    expect(reasons(patched)).toMatch(/"lf" is a symlink; not followed/);
    const enc = await dir.encrypt(["lf", "ld"], ".locked");
    expect(enc.touched).toBe(0);
    await expect(dir.write("lf", "x")).rejects.toThrow(/symlink/);
    const del = await dir.delete(["lf"]);
    expect(del.touched).toBe(1); // the link itself went; its target did not
  });

  it("listing reports symlinks as skipped and marks the hard link leading out", async () => {
    const l = await dir.list();
    expect(l.files.find((f) => f.path === "lib/mysql/hl.dat")?.outsideLinks).toBe(1);
    expect(l.skipped.map((s) => s.path).sort()).toEqual(expect.arrayContaining(["ld", "lf", "sub/mid"]));
    expect(l.files.some((f) => f.path.startsWith("ld/") || f.path.startsWith("sub/mid/"))).toBe(false);
  });

  it("modifying a file with a name outside is refused; ordinary files are changed", async () => {
    const r = await dir.patch([
      { path: "lib/mysql/hl.dat", offset: 0, length: 8, mode: "flip" },
      { path: "lib/mysql/ib1.dat", offset: 0, length: 8, mode: "flip" },
    ]);
    expect(r.touched).toBe(1);
    expect(reasons(r)).toMatch(/hl\.dat: .*hard-linked/);
    const enc = await dir.encrypt(["lib/mysql/hl.dat", "lib/mysql/ib2.dat"], ".locked");
    expect(enc.touched).toBe(1);
    expect((await dir.stat(["lib/mysql/ib2.dat.locked"]))["lib/mysql/ib2.dat.locked"]).toMatchObject({ type: "file" });
  });

  it("the manifest lists links as links and does not descend through them", async () => {
    const m = await dir.manifest();
    expect(m.entries.ld).toMatchObject({ type: "symlink", link: join(tree.outside, "dir") });
    expect(Object.keys(m.entries).some((k) => k.startsWith("ld/") || k.startsWith("sub/mid/"))).toBe(false);
    expect(m.entries["lib/mysql/ib0.dat"]!.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("a symlink planted while the agent works is refused, not followed", async () => {
    // Swap sub/ for a link to the outside folder over and over while files under it are rewritten.
    let swapping = true;
    const sub = join(tree.data, "sub");
    await writeFile(join(tree.outside, "dir", "own.txt"), "canary named like the file inside\n");
    before = await tree.canaries();
    const swapper = (async () => {
      let n = 0;
      while (swapping) {
        await rename(sub, `${sub}.real`).catch(() => {});
        await symlink(join(tree.outside, "dir"), sub).catch(() => {});
        await new Promise((r) => setImmediate(r));
        await rm(sub, { force: true }).catch(() => {});
        await rename(`${sub}.real`, sub).catch(() => {});
        n++;
      }
      return n;
    })();
    let refused = 0;
    let touched = 0;
    for (let i = 0; i < 12; i++) {
      const r = await dir
        .patch([{ path: "sub/own.txt", offset: 0, length: 4, mode: "overwrite" }])
        .catch(() => ({ touched: 0, refusedCount: 1 }));
      touched += r.touched;
      refused += r.refusedCount;
    }
    swapping = false;
    expect(await swapper).toBeGreaterThan(0);
    expect(touched + refused).toBe(12);
    expect(await readFile(join(tree.outside, "dir", "own.txt"), "utf8")).toBe("canary named like the file inside\n");
  }, 60_000);

  it("a root opened without following links (a host's data directory): a symlink on its path is refused", async () => {
    // /…/data/ld -> outside/dir: as a root of its own, reached from / one component at a time.
    const via = new ConfinedDir(dir.agent, join(tree.data, "ld"), "data directory", { noFollowRoot: true });
    await expect(via.delete(["."])).rejects.toThrow(/"[^"]*\/ld" is a symlink or not a directory; not followed/);
    await expect(via.manifest()).rejects.toThrow(/not followed/);
    // the same directory reached without the link is opened as usual
    const real = new ConfinedDir(dir.agent, join(tree.data, "sub"), "data directory", { noFollowRoot: true });
    expect((await real.stat(["own.txt"]))["own.txt"]).toMatchObject({ type: "file" });
  });

  it("paths that leave lexically are refused", async () => {
    await expect(dir.write("../escape.txt", "x")).rejects.toThrow(/leaves the root/);
    await expect(dir.delete(["/etc/passwd"])).resolves.toMatchObject({ touched: 0, refusedCount: 1 });
  });

  it("replace swaps a staged tree in without following links", async () => {
    await mkdir(join(tree.data, "stage/common"), { recursive: true });
    await writeFile(join(tree.data, "stage/common/x.txt"), "restored\n");
    await mkdir(join(tree.data, "target"));
    const r = await dir.replace("stage/common", "target");
    expect(r.mode).toBe("rename");
    expect(await readFile(join(tree.data, "target/x.txt"), "utf8")).toBe("restored\n");
    await expect(dir.replace("ld", "target")).rejects.toThrow(/symlink|not a directory/);
  });
});
