// The lease folder is the user's own: where it is, how leases are written in it, and that a folder
// others could write into gets no leases (a warning instead).
import { chmod, mkdir, readdir, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { addLease, dropLease, leaseDir, leftBehind } from "../../harness/util/leases.ts";
import { tmp } from "../helpers/tmp.ts";

afterEach(() => {
  delete process.env.DRDRILL_LEASE_DIR;
  vi.restoreAllMocks();
});

describe("lease folder", () => {
  it("is DRDRILL_LEASE_DIR, else under XDG_RUNTIME_DIR, else under the user's cache (never a shared /tmp)", () => {
    expect(leaseDir({ DRDRILL_LEASE_DIR: "/x/l", XDG_RUNTIME_DIR: "/run/user/7" })).toBe("/x/l");
    expect(leaseDir({ XDG_RUNTIME_DIR: "/run/user/7" })).toBe("/run/user/7/drdrill-leases");
    expect(leaseDir({ XDG_CACHE_HOME: "/c" })).toBe("/c/drdrill/leases");
    expect(leaseDir({})).toBe(join(homedir(), ".cache/drdrill/leases"));
  });

  it("is made 0700 and its files 0600; a lease dropped takes its file with it", async () => {
    const dir = join(await tmp(), "a", "leases");
    process.env.DRDRILL_LEASE_DIR = dir;
    await addLease("run-x", { kind: "mount", id: "/nowhere", what: "t" });
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, "run-x.json"))).mode & 0o777).toBe(0o600);
    await dropLease("run-x", { kind: "mount", id: "/nowhere" });
    expect(await readdir(dir)).toEqual([]);
  });

  it("a folder others can write into gets no lease, and is ignored when read", async () => {
    const dir = join(await tmp(), "open");
    await mkdir(dir);
    await chmod(dir, 0o777);
    process.env.DRDRILL_LEASE_DIR = dir;
    const said = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    await addLease("run-y", { kind: "mount", id: "/nowhere", what: "t" });
    expect(await readdir(dir)).toEqual([]);
    expect(String(said.mock.calls[0]?.[0])).toMatch(/lease folder .*open is writable by others \(mode 0777\): ignored/);
    expect((await leftBehind()).ignored).toEqual([expect.stringMatching(/writable by others/)]);
    await dropLease("run-y", { kind: "mount", id: "/nowhere" });
  });
});
