// A finished run's trees leave its path at once and are deleted after the reports (the next run does
// not share the disk with the deletion), or at once when the file system is short of space.
import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { execa } from "execa";
import { removeTree, settleRemovals } from "../../harness/runner/remove-tree.ts";
import { mountsUnder } from "../../harness/util/mounts.ts";
import { tmp } from "../helpers/tmp.ts";

async function tree(dir: string): Promise<void> {
  await mkdir(join(dir, "common/sub"), { recursive: true });
  await writeFile(join(dir, "common/sub/f"), "x".repeat(1000));
}
const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

describe("removing a run's trees", () => {
  it("takes the folder out of its path at once and deletes it when the removals are settled", async () => {
    const d = await tmp();
    await tree(join(d, "run-1"));
    expect(await removeTree(join(d, "run-1"), { reserve: 0 })).toBe("held");
    expect(await exists(join(d, "run-1"))).toBe(false);
    const aside = (await readdir(d)).filter((n) => n.startsWith("run-1.removing-"));
    expect(aside).toHaveLength(1);
    // Still there (with its files) until the invocation settles its removals.
    expect(await exists(join(d, aside[0]!, "common/sub/f"))).toBe(true);
    await settleRemovals();
    expect(await readdir(d)).toEqual([]);
  });

  it("deletes at once, and waits, when the file system has less than the reserve free", async () => {
    const d = await tmp();
    await tree(join(d, "run-2"));
    // No file system has more than all of its space free.
    expect(await removeTree(join(d, "run-2"), { reserve: 1.01 })).toBe("removed");
    expect(await readdir(d)).toEqual([]);
  });

  it("deletes at once when the disk could not hold the next run as well (twice what this one used)", async () => {
    const d = await tmp();
    await tree(join(d, "run-3"));
    expect(await removeTree(join(d, "run-3"), { reserve: 0, usedBytes: 2 ** 60 })).toBe("removed");
    expect(await readdir(d)).toEqual([]);
  });

  it("a folder that is not there is nothing to do", async () => {
    const d = await tmp();
    expect(await removeTree(join(d, "never-made"))).toBe("absent");
  });

  it("a held tree inside a folder removed after it goes with it", async () => {
    const d = await tmp();
    await tree(join(d, "work/run-1"));
    await tree(join(d, "work/run-2"));
    expect(await removeTree(join(d, "work/run-1"), { reserve: 0 })).toBe("held");
    expect(await removeTree(join(d, "work"), { reserve: 0 })).toBe("held");
    await settleRemovals();
    expect(await readdir(d)).toEqual([]);
  });
});

describe.skipIf(process.getuid?.() !== 0)("a mount point in a tree being removed", () => {
  for (const how of ["at once", "after the reports"] as const)
    it(`a folder bound inside (same file system) is named and left, with its files, when removed ${how}`, async () => {
      const d = await tmp();
      const outside = join(d, "outside");
      await mkdir(join(outside, "deep"), { recursive: true });
      await writeFile(join(outside, "deep", "f"), "keep");
      await tree(join(d, "run-4"));
      await mkdir(join(d, "run-4/common/sub/extra"));
      await execa("mount", ["--bind", outside, join(d, "run-4/common/sub/extra")]);
      try {
        const found: string[] = [];
        const r = await removeTree(join(d, "run-4"), {
          reserve: how === "at once" ? 1.01 : 0,
          onMounts: (m) => found.push(...m),
        });
        expect(r).toBe(how === "at once" ? "removed" : "held");
        await settleRemovals();
        expect(found).toEqual([expect.stringMatching(/\/run-4\.removing-\d+-\d+\/common\/sub\/extra$/)]);
        expect(await readFile(join(outside, "deep", "f"), "utf8")).toBe("keep");
        // Everything else went: only the way to the mount point is left.
        const [aside] = (await readdir(d)).filter((n) => n.startsWith("run-4."));
        expect(await readdir(join(d, aside!, "common/sub"))).toEqual(["extra"]);
        expect(await exists(join(d, aside!, "common/sub/f"))).toBe(false);
      } finally {
        for (const m of ((await mountsUnder(d)) ?? []).reverse()) await execa("umount", ["-l", m]);
      }
    });
});

describe("a held tree outlives a drdrill killed before it settled", () => {
  it("is leased while held, and the next sweep deletes it (only a folder drdrill set aside)", async () => {
    const leases = await tmp();
    process.env.DRDRILL_LEASE_DIR = leases;
    vi.resetModules();
    const { removeTree: hold, settleRemovals: settle } = await import("../../harness/runner/remove-tree.ts");
    const { sweepLeftovers } = await import("../../harness/runner/sweep-leftovers.ts");
    const { hostname } = await import("node:os");
    const d = await tmp();
    await tree(join(d, "run-1"));
    expect(await hold(join(d, "run-1"), { reserve: 0 })).toBe("held");
    const [leaseFile] = await readdir(leases);
    const lease = JSON.parse(await readFile(join(leases, leaseFile!), "utf8"));
    const [aside] = await readdir(d);
    expect(lease.leases).toEqual([expect.objectContaining({ kind: "tree", id: join(d, aside!) })]);
    await settle();
    expect(await readdir(leases)).toEqual([]);

    // A drdrill killed hard: its lease file names a dead pid, a folder set aside, and one that is not.
    await tree(join(d, "run-2.removing-999999-1"));
    await tree(join(d, "someone-elses"));
    await writeFile(
      join(leases, "removals-999999.json"),
      JSON.stringify({
        ownerPid: 999999,
        host: hostname(),
        startedAt: new Date().toISOString(),
        leases: [join(d, "run-2.removing-999999-1"), join(d, "someone-elses")].map((id) => ({
          kind: "tree",
          id,
          what: "x",
        })),
      }),
    );
    await sweepLeftovers();
    expect(await readdir(d)).toEqual(["someone-elses"]);
    delete process.env.DRDRILL_LEASE_DIR;
  });
});
