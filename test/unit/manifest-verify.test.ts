import { createHash } from "node:crypto";
import { cp, link, mkdir, symlink, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { localDir } from "../../harness/agent/local-dir.ts";
const buildManifest = (dir: string) => localDir(dir).manifest();
import { compareManifests } from "../../harness/verify/compare-manifests.ts";
import { tmp } from "../helpers/tmp.ts";

const exact = { mtimePrecisionMs: 0, symlinkMtime: true, hardlinks: true, xattrs: true };

async function tree(root: string): Promise<void> {
  await mkdir(join(root, "etc"), { recursive: true });
  await writeFile(join(root, "etc/a.conf"), "alpha\n");
  await writeFile(join(root, "big.bin"), Buffer.alloc(3 << 20, 7));
  await link(join(root, "big.bin"), join(root, "big.hardlink"));
  await symlink("etc/a.conf", join(root, "link"));
  await utimes(join(root, "etc/a.conf"), 1_700_000_000.5, 1_700_000_000.5);
}

describe("manifest and verification", () => {
  it("a faithful copy matches; sha256 agrees with the content", async () => {
    const a = await tmp();
    await tree(a);
    const m = await buildManifest(a);
    expect(m.entries["etc/a.conf"]!.sha256).toBe(createHash("sha256").update("alpha\n").digest("hex"));
    expect(m.entries["link"]).toMatchObject({ type: "symlink", link: "etc/a.conf" });
    expect(m.entries["big.hardlink"]!.hardlinkOf).toBe("big.bin");
    expect(m.bytes).toBe(6 + (3 << 20));
    const b = join(await tmp(), "copy");
    await cp(a, b, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
    const v = compareManifests(m, await buildManifest(b), exact);
    expect(v.contentOk).toBe(true);
    // cp does not keep hardlinks: a fidelity finding, not corruption
    expect(v.fidelity.hardlinks).toMatchObject({ checked: 1, kept: 0 });
  });

  it("one changed byte, a missing file and a retargeted link are content mismatches", async () => {
    const a = await tmp();
    await tree(a);
    const m = await buildManifest(a);
    const b = join(await tmp(), "copy");
    await cp(a, b, { recursive: true, verbatimSymlinks: true });
    await writeFile(join(b, "etc/a.conf"), "alphA\n");
    const { rm, unlink } = await import("node:fs/promises");
    await rm(join(b, "big.hardlink"));
    await unlink(join(b, "link"));
    await symlink("elsewhere", join(b, "link"));
    const v = compareManifests(m, await buildManifest(b), exact);
    expect(v.contentOk).toBe(false);
    expect(v.mismatches.map((x) => `${x.kind}:${x.path}`).sort()).toEqual([
      "content:etc/a.conf",
      "link:link",
      "missing:big.hardlink",
    ]);
  });

  it("mtime is compared at the tool's stated precision, and required attributes become mismatches", async () => {
    const a = await tmp();
    await tree(a);
    const m = await buildManifest(a);
    const b = join(await tmp(), "copy");
    await cp(a, b, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
    await utimes(join(b, "etc/a.conf"), 1_700_000_000, 1_700_000_000); // rounded down, like duplicity
    const restored = await buildManifest(b);
    expect(compareManifests(m, restored, { ...exact, mtimePrecisionMs: 1000 }).fidelity.mtime.kept).toBe(
      compareManifests(m, restored, { ...exact, mtimePrecisionMs: 1000 }).fidelity.mtime.checked,
    );
    const strict = compareManifests(m, restored, exact, ["mtime"]);
    expect(strict.requiredOk).toBe(false);
    expect(strict.contentOk).toBe(true);
    expect(strict.mismatches.some((x) => x.kind === "mtime" && x.path === "etc/a.conf")).toBe(true);
  });

  it("a socket is recorded as one, and not required back: no tool stores it; fidelity says so", async () => {
    const a = await tmp();
    await tree(a);
    await execa("python3", [
      "-c",
      "import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])",
      join(a, "etc/db.sock"),
    ]);
    const m = await buildManifest(a);
    expect(m.entries["etc/db.sock"]).toMatchObject({ type: "socket", size: 0 });
    const b = join(await tmp(), "copy");
    await cp(a, b, {
      recursive: true,
      preserveTimestamps: true,
      verbatimSymlinks: true,
      filter: (p) => !p.endsWith(".sock"),
    });
    const v = compareManifests(m, await buildManifest(b), exact);
    expect(v.contentOk).toBe(true);
    expect(v.mismatchCount).toBe(0);
    expect(v.fidelity.sockets).toEqual({
      checked: 1,
      kept: 0,
      required: false,
      note: "not stored by backup tools, not required back: etc/db.sock",
    });
    // Without sockets, no such line.
    expect(compareManifests(await buildManifest(b), await buildManifest(b), exact).fidelity.sockets).toBeUndefined();
  });

  it("what lay in a folder the backup's walk did not enter (a mount point) is not an extra file", () => {
    const entry = { type: "dir" as const, size: 0, mode: 0o755, uid: 0, gid: 0, mtimeNs: "1" };
    const manifest = (paths: string[], notEntered?: string[]) => ({
      root: "/x",
      takenAt: "",
      files: 0,
      bytes: 0,
      xattrsRead: false,
      entries: Object.fromEntries(paths.map((p) => [p, entry])),
      ...(notEntered ? { notEntered } : {}),
    });
    const restored = manifest([".", "lib", "lib/extra", "lib/extra/inner", "other"]);
    const v = compareManifests(manifest([".", "lib", "lib/extra"], ["lib/extra"]), restored, exact);
    expect(v.mismatches).toEqual([{ path: "other", kind: "extra", actual: "dir" }]);
  });
});
