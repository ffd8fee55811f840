// What a drdrill killed hard leaves, and who may say so: `drdrill clean` ends a tool call's whole
// process group after a SIGKILL, and never obeys a lease another user could have written (a planted
// folder or file, one writable by others) nor a process lease without a match.
import { execa } from "execa";
import { chmod, chown, mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { drdrill, ROOT } from "../helpers/cli.ts";
import { tmp } from "../helpers/tmp.ts";

const NOBODY = 65534;
const DEAD_PID = 999_999;

/** The live processes of a process group (a zombie counts as gone). */
async function groupMembers(pgid: number): Promise<number[]> {
  const out: number[] = [];
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const text = await readFile(`/proc/${name}/stat`, "utf8").catch(() => "");
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) === pgid && fields[0] !== "Z") out.push(Number(name));
  }
  return out;
}

const pgidOf = async (pid: number) => {
  const text = await readFile(`/proc/${pid}/stat`, "utf8");
  return Number(text.slice(text.lastIndexOf(")") + 2).split(" ")[2]);
};

function leaseFile(leases: object[]): string {
  return JSON.stringify({ ownerPid: DEAD_PID, host: hostname(), startedAt: new Date().toISOString(), leases });
}

describe("drdrill clean after a SIGKILL", () => {
  it("a tool call stalled in a restore: its whole process group is gone after drdrill clean", async () => {
    const dir = await tmp();
    const bin = join(dir, "bin");
    await mkdir(bin);
    const pidFile = join(dir, "stalled.pid");
    // The restore stalls (as duplicity and its gpg did on a full disk), with a child that left its
    // parent (still in the group) beside it.
    await writeFile(
      join(bin, "duplicity"),
      `#!/bin/sh\nif [ "$1" = restore ]; then (sleep 601 &); sleep 600 & echo $! > ${pidFile}; wait; fi\n` +
        'exec /usr/bin/duplicity "$@"\n',
    );
    await chmod(join(bin, "duplicity"), 0o755);
    const file = join(dir, "stall.yaml");
    await writeFile(
      file,
      "name: stall\ndataset: { size: 2MB }\ntools: [duplicity]\nsteps:\n" +
        "  - backup: full\n  - fault: { delete-path: { path: . } }\n  - restore: latest\n",
    );
    const child = execa(process.execPath, [join(ROOT, "bin/drdrill.js"), "run", file, "--out", join(dir, "run")], {
      cwd: ROOT,
      reject: false,
      env: { DRDRILL_PROGRESS: "lines", PATH: `${bin}:${process.env.PATH}` },
    });
    let pgid = 0;
    try {
      for (let i = 0; i < 1200 && !(await readFile(pidFile, "utf8").catch(() => "")); i++)
        await new Promise((r) => setTimeout(r, 100));
      pgid = await pgidOf(Number(await readFile(pidFile, "utf8")));
      expect((await groupMembers(pgid)).length).toBeGreaterThanOrEqual(3); // wrapper, fake tool, two sleeps
      child.kill("SIGKILL");
      await child;
      await new Promise((r) => setTimeout(r, 500));
      expect((await groupMembers(pgid)).length, "the stalled call outlives its drdrill").toBeGreaterThanOrEqual(2);
      const clean = await drdrill(["clean"]);
      expect(clean.exitCode, clean.all).toBe(0);
      expect(clean.stdout).toMatch(/tool call duplicity-restore \(process-group \d+\)/);
      expect(await groupMembers(pgid)).toEqual([]);
    } finally {
      child.kill("SIGKILL");
      if (pgid > 1) for (const pid of await groupMembers(pgid)) process.kill(pid, "SIGKILL");
    }
  });
});

describe("leases another user could have written", () => {
  it("a lease planted by nobody, or writable by others, kills nothing; neither does one without a match", async () => {
    // A live process of ours (a group of its own), named by each planted lease.
    const victim = execa("sleep", ["300"], { detached: true, reject: false });
    const pid = victim.pid!;
    const named = [
      { kind: "process-group", id: String(pid), match: "sleep 300", what: "planted group" },
      { kind: "process", id: String(pid), match: "sleep", what: "planted process" },
    ];
    const clean = (leaseDir: string) => drdrill(["clean"], { env: { DRDRILL_LEASE_DIR: leaseDir } });
    try {
      // 1. nobody's folder holding nobody's lease, naming a dead owner
      const planted = join(await tmp(), "leases");
      await mkdir(planted, { mode: 0o700 });
      await writeFile(join(planted, "x.json"), leaseFile(named));
      await chown(join(planted, "x.json"), NOBODY, NOBODY);
      await chown(planted, NOBODY, NOBODY);
      const a = await clean(planted);
      expect(a.exitCode, a.all).toBe(0);
      expect(await groupMembers(pid), "the planted lease killed our process").toEqual([pid]);
      expect(a.stderr).toMatch(/lease folder .*leases is owned by uid 65534, not by you \(uid 0\): ignored/);
      expect(a.stdout).toContain("nothing left behind");
      expect(await readdir(planted)).toEqual(["x.json"]);

      // 2. our own folder, but a lease file anyone can write, and one of nobody's
      const own = await tmp();
      await writeFile(join(own, "open.json"), leaseFile(named));
      await chmod(join(own, "open.json"), 0o666);
      await writeFile(join(own, "theirs.json"), leaseFile(named));
      await chown(join(own, "theirs.json"), NOBODY, NOBODY);
      // 3. and a lease of our own that names the process without a match (nothing to tell a reused pid by)
      await writeFile(
        join(own, "nomatch.json"),
        leaseFile([
          { kind: "process-group", id: String(pid), what: "no match" },
          { kind: "process", id: String(pid), what: "no match" },
        ]),
      );
      const b = await clean(own);
      expect(b.exitCode, b.all).toBe(0);
      expect(b.stderr).toMatch(/open\.json is writable by others \(mode 0666\): ignored/);
      expect(b.stderr).toMatch(/theirs\.json is owned by uid 65534, not by you \(uid 0\): ignored/);
      expect(b.stdout).toContain("nothing left behind");
      expect(await groupMembers(pid)).toEqual([pid]);

      // The same lease, ours and closed to others, is obeyed: the checks above are what spared the process.
      const mine = await tmp();
      await writeFile(join(mine, "ours.json"), leaseFile(named.slice(0, 1)));
      const c = await clean(mine);
      expect(c.stdout).toMatch(/planted group \(process-group \d+\)/);
      expect(await groupMembers(pid)).toEqual([]);
    } finally {
      victim.kill("SIGKILL");
      await victim;
    }
  });
});
