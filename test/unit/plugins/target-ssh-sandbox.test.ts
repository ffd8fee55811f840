// The ssh target's `sandbox: clone` as a user meets it before and after a run: its settings refused
// at the file's line and field (or at --target-setting) with exit 2 when they would write production
// or stop its services; production's digest telling any change of a file apart; a changed production
// failing the run with the changed paths named; the report's line saying untouched or not.
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../../../harness/cli/main.ts";
import type { Manifest, ManifestEntry } from "../../../harness/model/manifest.ts";
import { sandboxProblem, type SandboxRecord } from "../../../harness/model/sandbox.ts";
import { decideOutcome } from "../../../harness/runner/decide-outcome.ts";
import { sweepLeftovers } from "../../../harness/runner/sweep-leftovers.ts";
import { treeChanges, treeDigest } from "../../../harness/verify/tree-digest.ts";
import { sandboxLine } from "../../../reports/markdown.ts";
import { problems, scenario } from "../../helpers/rules.ts";
import { tmp } from "../../helpers/tmp.ts";

const STEPS = ["backup: full", "fault: { delete-path: { path: . } }", "restore: latest"];
const ssh = (settings: string) =>
  scenario("[tar-zstd]", STEPS, `target: ssh\ntargetSettings:\n  ssh:\n    host: h\n${settings}`);

describe("sandbox settings", () => {
  it("none (the default) and clone with existing data and drdrill's writer or no services are accepted", () => {
    expect(problems(ssh(""))).toEqual([]);
    expect(problems(ssh("    sandbox: none\n"))).toEqual([]);
    expect(problems(ssh("    sandbox: clone\n"))).toEqual([]);
    expect(problems(ssh("    sandbox: clone\n    seed: existing\n    services: load-writer\n"))).toEqual([]);
    expect(problems(ssh("    sandbox: clone\n    services: none\n    sandboxRoot: /srv/sandboxes\n"))).toEqual([]);
  });

  it("an unknown value is refused at its line, naming the field and the values", () => {
    const p = problems(ssh("    sandbox: snapshot\n"));
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^6:targetSettings\.ssh\.sandbox: .*"none".*"clone"/);
  });

  it("clone refuses what would write production or stop the host's services", () => {
    expect(problems(ssh("    sandbox: clone\n    seed: generate\n"))).toEqual([
      "7:targetSettings.ssh.seed: sandbox: clone drills a copy of the host's own data and never writes its data " +
        "directory; seed: generate would fill it (use seed: existing or auto)",
    ]);
    expect(problems(ssh("    sandbox: clone\n    services: snap\n"))).toEqual([
      "7:targetSettings.ssh.services: services: snap stops and starts the host's own services, which sandbox: " +
        "clone must not disrupt; use load-writer (drdrill's writer in the clone) or none",
    ]);
  });

  it("a sandbox root inside the data directory, in a system folder, relative, or without clone is refused", () => {
    const root = (r: string, sandbox = "clone") => problems(ssh(`    sandbox: ${sandbox}\n    sandboxRoot: ${r}\n`));
    expect(root("/var/snap/microstack/common/x")).toEqual([
      '7:targetSettings.ssh.sandboxRoot: "/var/snap/microstack/common/x" is inside the data directory ' +
        "/var/snap/microstack/common: the clone would change what it proves untouched",
    ]);
    expect(root("/etc/drill")).toEqual([
      '7:targetSettings.ssh.sandboxRoot: "/etc/drill" is inside the system folder /etc',
    ]);
    expect(root("srv")).toEqual(['7:targetSettings.ssh.sandboxRoot: "srv" is not an absolute path']);
    expect(root("/srv/../etc")).toEqual([
      '7:targetSettings.ssh.sandboxRoot: "/srv/../etc" is not a plain path (write it without "." or "..")',
    ]);
    expect(root("/srv", "none")).toEqual([
      "7:targetSettings.ssh.sandboxRoot: sandboxRoot is where sandbox: clone puts its copy; set sandbox: clone",
    ]);
  });

  it("given on the command line, said at --target-setting", () => {
    const overrides = { targetSettings: { ssh: { sandbox: "clone", services: "snap" } } };
    expect(problems(ssh(""), { overrides })).toEqual([
      "1:--target-setting ssh.services: services: snap stops and starts the host's own services, which sandbox: " +
        "clone must not disrupt; use load-writer (drdrill's writer in the clone) or none",
    ]);
  });

  describe("drdrill validate", () => {
    const err: string[] = [];
    beforeAll(() => {
      vi.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => (err.push(String(s)), true));
      vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    });
    afterAll(() => vi.restoreAllMocks());

    it("exits 2 naming the file, line and field", async () => {
      const file = join(await tmp(), "clone.yaml");
      await writeFile(file, ssh("    sandbox: clone\n    seed: generate\n"));
      expect(await main(["validate", file])).toBe(2);
      // The file as the user named it: absolute, or relative to the working folder when that is shorter.
      expect(err.join("")).toMatch(/(^|\/)clone\.yaml:7:\d+: targetSettings\.ssh\.seed: sandbox: clone drills a copy/m);
    });
  });
});

const file = (sha256: string, more: Partial<ManifestEntry> = {}): ManifestEntry => ({
  type: "file",
  size: 4,
  mode: 0o644,
  uid: 0,
  gid: 0,
  mtimeNs: "1700000000000000000",
  sha256,
  ...more,
});
const tree = (entries: Record<string, ManifestEntry>): Manifest => ({
  root: "/p",
  takenAt: "",
  entries: { ".": { type: "dir", size: 0, mode: 0o755, uid: 0, gid: 0, mtimeNs: "1" }, ...entries },
  files: Object.keys(entries).length,
  bytes: 0,
  xattrsRead: true,
});

describe("production's digest", () => {
  const base = tree({ "a.txt": file("aa"), "lib/b": file("bb") });

  it("is the same for the same tree, whatever order the walk found it in", () => {
    const reordered = tree({ "lib/b": file("bb"), "a.txt": file("aa") });
    expect(treeDigest(reordered)).toBe(treeDigest(base));
    expect(treeDigest(base)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(treeChanges(base, reordered)).toEqual([]);
  });

  it("changes with a file's content, size, mode, owner, mtime, xattrs, or a file added or removed", () => {
    const variants: [Manifest, string][] = [
      [tree({ "a.txt": file("zz"), "lib/b": file("bb") }), "a.txt: content changed"],
      [tree({ "a.txt": file("aa", { size: 5 }), "lib/b": file("bb") }), "a.txt: size changed"],
      [tree({ "a.txt": file("aa", { mode: 0o600 }), "lib/b": file("bb") }), "a.txt: mode changed"],
      [tree({ "a.txt": file("aa", { uid: 1 }), "lib/b": file("bb") }), "a.txt: uid changed"],
      [
        tree({ "a.txt": file("aa", { mtimeNs: "1700000000000000001" }), "lib/b": file("bb") }),
        "a.txt: mtimeNs changed",
      ],
      [tree({ "a.txt": file("aa", { xattrs: { "user.x": "0x01" } }), "lib/b": file("bb") }), "a.txt: metadata changed"],
      [tree({ "a.txt": file("aa") }), "lib/b: removed"],
      [tree({ "a.txt": file("aa"), "lib/b": file("bb"), c: file("cc") }), "c: added"],
    ];
    for (const [after, change] of variants) {
      expect(treeDigest(after)).not.toBe(treeDigest(base));
      expect(treeChanges(base, after)).toEqual([change]);
    }
  });
});

const record = (more: Partial<SandboxRecord>): SandboxRecord => ({
  mode: "clone",
  production: "/srv/prod",
  clone: "/srv/.prod.drdrill-sandbox-r-1/prod",
  method: "copy",
  digestBefore: "sha256:aa",
  digestAfter: "sha256:aa",
  untouched: true,
  ...more,
});

describe("a changed production fails the run", () => {
  const recovered = { faultInjected: true, restoreRan: true, restoreSucceeded: true, servicesRequired: false };

  it("untouched: no problem, the outcome is the drill's", () => {
    expect(sandboxProblem(record({}))).toBeUndefined();
    expect(decideOutcome(recovered).outcome).toBe("recovered");
  });

  it("changed: failed, naming the digests and the paths", () => {
    const changed = record({ digestAfter: "sha256:bb", untouched: false, changes: ["a.txt: content changed"] });
    const why = sandboxProblem(changed)!;
    expect(why).toContain("production's data directory /srv/prod changed during the drill");
    expect(why).toContain("digest sha256:aa before, sha256:bb after): a.txt: content changed.");
    expect(decideOutcome({ ...recovered, productionChanged: why })).toEqual({ outcome: "failed", reason: why });
    expect(decideOutcome({ ...recovered, error: "x", productionChanged: why }).outcome).toBe("failed");
  });

  it("not read again: not proven, and the run fails saying why", () => {
    const why = sandboxProblem(record({ digestAfter: null, untouched: null, note: "connection lost" }));
    expect(why).toBe("production's data directory /srv/prod could not be proven untouched: connection lost");
  });

  it("report.md says where the drill ran and shows both digests", () => {
    expect(sandboxLine(record({ method: "reflink" }))).toBe(
      "Sandbox: the drill ran on a reflink copy of production `/srv/prod` in `/srv/.prod.drdrill-sandbox-r-1/prod`; " +
        "production's digest before `sha256:aa`, after `sha256:aa`: **untouched**.",
    );
    expect(sandboxLine(record({ untouched: false, digestAfter: "sha256:bb", changeCount: 2 }))).toContain(
      "after `sha256:bb`: **CHANGED** (2 entries).",
    );
  });
});

describe("a sandbox clone's lease after a SIGKILL", () => {
  it("names only a folder drdrill makes: another path is left alone, said, and the host never reached", async () => {
    const dir = join(await tmp(), "leases");
    await mkdir(dir, { mode: 0o700 });
    // 192.0.2.1 is TEST-NET-1: a connection attempt would hang there, not pass.
    const remote = { host: "192.0.2.1", hostKey: "strict", sudo: true, workDir: "/var/tmp/drdrill" };
    const lease = { kind: "remote-tree", id: "/etc", what: "the sandbox clone of /srv/p on h", match: "r-1", remote };
    // A drdrill that is gone (pid 2^22 + 1 is above any pid_max default) held it.
    const file = { ownerPid: 4194305, host: hostname(), startedAt: "", leases: [lease] };
    await writeFile(join(dir, "r-1.json"), JSON.stringify(file), { mode: 0o600 });
    const saved = process.env.DRDRILL_LEASE_DIR;
    process.env.DRDRILL_LEASE_DIR = dir;
    try {
      const started = Date.now();
      const { removed, ignored } = await sweepLeftovers();
      expect(Date.now() - started).toBeLessThan(5000);
      expect(removed).toEqual([]);
      expect(ignored).toEqual([
        "the sandbox clone of /srv/p on h was not removed (/etc is not a sandbox folder drdrill makes " +
          "(.NAME.drdrill-sandbox-RUN): left alone): remove /etc there",
      ]);
      expect(await readdir(dir)).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.DRDRILL_LEASE_DIR;
      else process.env.DRDRILL_LEASE_DIR = saved;
    }
  });
});
