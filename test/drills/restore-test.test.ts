// Restore tests of repositories made by hand (not by drdrill), on the local target: restic with two
// snapshots at known times (`backup --time`), borg with two archives (`create --timestamp`), duplicity
// with a full and an incremental set (their times from the file names). The
// newest point is restored read only: its id and time are in results.json, pointAgeMs is its age when
// the test started, production compares byte-identical and none of its ctimes move, the repository is
// unchanged (listing, mtimes, ctimes). A pack, segment or volume corrupted by hand ends the test detected
// or failed (exit 1); a pointAge objective shorter than the point's age is missed (exit 4). The same
// restic repository restore-tested in the lab target (mounted read only into an idle lab container) and
// at site B over SFTP (drdrill's SSH host image, `repository.ssh`).
import { execa } from "execa";
import { chmod, cp, lstat, mkdir, open, readdir, readFile, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildSshdImage } from "../../harness/images/sshd/build.ts";
import { startSshdContainer } from "../../harness/images/sshd/container.ts";
import { allFiles, drdrill, readJson } from "../helpers/cli.ts";
import { tmp } from "../helpers/tmp.ts";

const PASS = "restore-test-passphrase";
const HOUR = 3_600_000;

/** Every entry under dir: its type, size, mtime and ctime (what a write anywhere would move). */
async function snapshotOf(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const rel of await readdir(dir, { recursive: true })) {
    const st = await lstat(join(dir, rel));
    out[rel] = `${st.isDirectory() ? "d" : "f"} ${st.size} ${st.mtimeMs} ${st.ctimeMs}`;
  }
  out["."] = `${(await lstat(dir)).mtimeMs} ${(await lstat(dir)).ctimeMs}`;
  return out;
}

/** Production: a few files and a folder, all last changed three days ago. */
async function production(dir: string): Promise<string> {
  const prod = join(dir, "prod");
  await mkdir(join(prod, "glance", "images"), { recursive: true });
  await writeFile(join(prod, "keystone.conf"), "[DEFAULT]\ndebug = false\n");
  await writeFile(join(prod, "glance", "images", "cirros.img"), Buffer.alloc(200_000, 7));
  await writeFile(join(prod, "glance", "notes.txt"), "an image\n");
  const old = new Date(Date.now() - 72 * HOUR);
  for (const rel of ["keystone.conf", "glance/images/cirros.img", "glance/notes.txt", "glance/images", "glance"])
    await utimes(join(prod, rel), old, old);
  return prod;
}

/** "YYYY-MM-DD HH:MM:SS" in local time (restic's --time), to the second. */
function localTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, "0");
  return (
    `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ` +
    `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`
  );
}

const scenario = (name: string, tool: string, repo: string, prod: string, variable: string, pointAge: string) =>
  [
    `name: ${name}`,
    "repository:",
    `  tool: ${tool}`,
    `  url: ${repo}`,
    `  passphrase: { env: ${variable} }`,
    `  compareWith: ${prod}`,
    "target: local",
    "steps:",
    "  - restore: latest",
    "  - verify: [files]",
    `objectives: { pointAge: "${pointAge}", restoreTime: "< 5m" }`,
    "",
  ].join("\n");

/** Flips bytes in the middle of the biggest file under dir (a pack or segment file). */
async function corruptBiggest(dir: string): Promise<string> {
  let biggest = { path: "", size: -1 };
  for (const rel of await readdir(dir, { recursive: true })) {
    const st = await lstat(join(dir, rel));
    if (st.isFile() && st.size > biggest.size) biggest = { path: join(dir, rel), size: st.size };
  }
  const fh = await open(biggest.path, "r+");
  try {
    const at = Math.floor(biggest.size / 2);
    const b = Buffer.alloc(64);
    await fh.read(b, 0, 64, at);
    for (let i = 0; i < b.length; i++) b[i] = b[i]! ^ 0xff;
    await fh.write(b, 0, 64, at);
  } finally {
    await fh.close();
  }
  return biggest.path;
}

/** A copy of the repository with its biggest file (a pack, segment or volume) corrupted by hand: exit 1. */
async function expectCorruptFails(dir: string, repo: string, tool: string, under: string, prod: string, pw: string) {
  const bad = join(dir, `${tool}-bad`);
  await cp(repo, bad, { recursive: true });
  await corruptBiggest(join(bad, under));
  await writeFile(join(dir, "bad.yaml"), scenario(`${tool}-bad`, tool, bad, prod, pw, "< 1d"));
  const out = join(dir, "run-bad");
  const r = await drdrill(["run", join(dir, "bad.yaml"), "--out", out], { env: { [pw]: PASS }, timeoutMs: 60_000 });
  expect(r.exitCode, r.all).toBe(1);
  const b = (await readJson(join(out, "results.json"))).results[0];
  expect(["detected", "failed"]).toContain(b.outcome);
}

/** The checks every restore test of a newest point shares. */
function expectNewest(r: any, id: string, takenMs: number, beganMs: number) {
  expect(r.outcome, r.reason).toBe("recovered");
  expect(r.restoreTest.point).toEqual({ toolId: id, takenAt: new Date(takenMs).toISOString() });
  expect(r.restoreTest.points).toBe(2);
  expect(r.recoveryPoint.backup).toMatchObject({ number: 2, of: 2, toolId: id });
  // The point's age when the test started (after the sandbox stood up): its start less the point's time.
  const started = Date.parse(r.restoreTest.startedAt);
  expect(started).toBeGreaterThanOrEqual(beganMs);
  expect(started).toBeLessThan(Date.now());
  expect(Math.abs(r.metrics.pointAgeMs - (started - takenMs))).toBeLessThan(1_000);
  expect(r.metrics.restoreMs).toBeGreaterThan(0);
  expect(r.metrics.restoreThroughputBps).toBeGreaterThan(0);
  // Production's files older than the point came back byte-identical; the one written since is counted apart.
  expect(r.restoreTest).toMatchObject({ filesChecked: 3, filesIdentical: 3, differences: 0, changedSince: 1 });
  expect(r.restoreTest.bytesChecked).toBeGreaterThan(200_000);
}

/**
 * A restic repository made by hand in `repo` from production: two snapshots, 48 and 5 hours old
 * (`backup --time`); then a file is written to production (changed since the point).
 */
async function resticByHand(dir: string, prod: string, repo: string) {
  const env = { RESTIC_PASSWORD: PASS };
  const restic = (args: string[], cwd = dir) =>
    execa("restic", ["--repo", repo, "--cache-dir", join(dir, "cache"), ...args], { cwd, env });
  await restic(["init"]);
  const older = Date.now() - 48 * HOUR;
  const newest = Math.floor((Date.now() - 5 * HOUR) / 1000) * 1000;
  await restic(["backup", "--time", localTime(older), "."], prod);
  await restic(["backup", "--time", localTime(newest), "."], prod);
  const snaps = JSON.parse((await restic(["snapshots", "--json"])).stdout) as { id: string; time: string }[];
  const newestId = snaps.find((s) => Date.parse(s.time) === newest)!.id;
  // Written after the snapshots: changed since the point, not a difference.
  await writeFile(join(prod, "written-since.log"), "new\n");
  return { newest, newestId };
}

describe("restore tests of repositories made by hand (local target)", () => {
  it("restic: the newest snapshot restores read only; a corrupted pack fails; a missed pointAge exits 4", async () => {
    const dir = await tmp();
    const prod = await production(dir);
    const repo = join(dir, "restic-repo");
    const { newest, newestId } = await resticByHand(dir, prod, repo);
    const repoBefore = await snapshotOf(repo);
    const prodBefore = await snapshotOf(prod);

    // Two restore tests of the same repository in one invocation: one whose pointAge holds, one whose
    // objective (one hour) the five-hour-old point misses: the outcomes as expected, exit 4.
    const tests = join(dir, "tests");
    await mkdir(tests);
    await writeFile(join(tests, "ok.yaml"), scenario("restic-ok", "restic", repo, prod, "TEST_RESTIC_PW", "< 1d"));
    await writeFile(join(tests, "old.yaml"), scenario("restic-old", "restic", repo, prod, "TEST_RESTIC_PW", "< 1h"));
    const runEnv = { env: { TEST_RESTIC_PW: PASS }, timeoutMs: 60_000 };
    const began = Date.now();
    const both = await drdrill(["run", tests, "--out", join(dir, "run")], runEnv);
    expect(both.exitCode, both.all).toBe(4);
    const results = (await readJson(join(dir, "run", "results.json"))).results as any[];
    const r = results.find((x) => x.scenario === "restic-ok");
    expectNewest(r, newestId, newest, began);
    expect(r.passed).toBe(true);
    expect(r.restoreTest.repository).toBe(repo);
    expect(r.toolCalls.every((c: any) => / --no-lock /.test(c.command))).toBe(true);
    const o = results.find((x) => x.scenario === "restic-old");
    expect(o.outcome).toBe("recovered");
    expect(o.passed).toBe(false);
    expect(o.objectives.find((x: any) => x.metric === "pointAgeMs")).toMatchObject({ passed: false });

    // Neither the repository nor production was written to.
    expect(await snapshotOf(repo)).toEqual(repoBefore);
    expect(await snapshotOf(prod)).toEqual(prodBefore);

    // A copy of the repository with its biggest pack corrupted by hand.
    const bad = join(dir, "restic-bad");
    await cp(repo, bad, { recursive: true });
    await corruptBiggest(join(bad, "data"));
    await writeFile(join(dir, "bad.yaml"), scenario("restic-bad", "restic", bad, prod, "TEST_RESTIC_PW", "< 1d"));
    const broken = await drdrill(["run", join(dir, "bad.yaml"), "--out", join(dir, "run-bad")], runEnv);
    expect(broken.exitCode, broken.all).toBe(1);
    const b = (await readJson(join(dir, "run-bad", "results.json"))).results[0];
    expect(["detected", "failed"]).toContain(b.outcome);
  }, 60_000);

  it("borg: the newest archive restores read only (--bypass-lock), production and repository untouched", async () => {
    const dir = await tmp();
    const prod = await production(dir);
    const repo = join(dir, "borg-repo");
    const env = { BORG_PASSPHRASE: PASS, BORG_BASE_DIR: join(dir, "borg-home") };
    const borg = (args: string[], cwd = dir) => execa("borg", args, { cwd, env });
    await borg(["init", "--encryption=repokey-blake2", repo]);
    const newest = Math.floor((Date.now() - 5 * HOUR) / 1000) * 1000;
    const utc = (ms: number) => new Date(ms).toISOString().slice(0, 19);
    await borg(["create", "--timestamp", utc(newest - 43 * HOUR), `${repo}::nightly-1`, "."], prod);
    await borg(["create", "--timestamp", utc(newest), `${repo}::nightly-2`, "."], prod);
    await writeFile(join(prod, "written-since.log"), "new\n");
    const repoBefore = await snapshotOf(repo);
    const prodBefore = await snapshotOf(prod);

    await writeFile(join(dir, "ok.yaml"), scenario("borg-ok", "borg", repo, prod, "TEST_BORG_PW", "< 1d"));
    const began = Date.now();
    const ok = await drdrill(["run", join(dir, "ok.yaml"), "--out", join(dir, "run")], {
      env: { TEST_BORG_PW: PASS },
      timeoutMs: 60_000,
    });
    expect(ok.exitCode, ok.all).toBe(0);
    const r = (await readJson(join(dir, "run", "results.json"))).results[0];
    expectNewest(r, "nightly-2", newest, began);
    const calls = r.toolCalls.filter((c: any) => /^borg-(list|extract)/.test(c.label));
    expect(calls.map((c: any) => / --bypass-lock /.test(c.command))).toEqual([true, true]);
    expect(await snapshotOf(repo)).toEqual(repoBefore);
    expect(await snapshotOf(prod)).toEqual(prodBefore);
    await expectCorruptFails(dir, repo, "borg", "data", prod, "TEST_BORG_PW");
  }, 60_000);

  it("duplicity: the newest set (an incremental) restores read only, its time from collection-status", async () => {
    const dir = await tmp();
    const prod = await production(dir);
    const repo = join(dir, "duplicity-repo");
    const env = { PASSPHRASE: PASS };
    const duplicity = (kind: string) =>
      execa("duplicity", [kind, "--archive-dir", join(dir, "cache"), "--name", "x", prod, `file://${repo}`], { env });
    await duplicity("full");
    await new Promise((r) => setTimeout(r, 1100)); // a set's time is to the second
    await duplicity("incremental");
    // The newest set's time, as its manifest's file name says it (UTC, to the second).
    const names = await readdir(repo);
    const t = names.map((n) => /^duplicity-inc\.\w+\.to\.(\w+)\.manifest/.exec(n)?.[1]).find(Boolean)!;
    const newest = Date.parse(`${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 11)}:${t.slice(11, 13)}:${t.slice(13)}`);
    await writeFile(join(prod, "written-since.log"), "new\n");
    const repoBefore = await snapshotOf(repo);
    const prodBefore = await snapshotOf(prod);

    await writeFile(join(dir, "ok.yaml"), scenario("dup-ok", "duplicity", repo, prod, "TEST_DUP_PW", "< 1h"));
    const began = Date.now();
    const ok = await drdrill(["run", join(dir, "ok.yaml"), "--out", join(dir, "run")], {
      env: { TEST_DUP_PW: PASS },
      timeoutMs: 60_000,
    });
    expect(ok.exitCode, ok.all).toBe(0);
    const r = (await readJson(join(dir, "run", "results.json"))).results[0];
    expectNewest(r, new Date(newest).toISOString().replace(".000Z", "Z"), newest, began);
    expect(r.recoveryPoint.backup.kind).toBe("incremental");
    expect(await snapshotOf(repo)).toEqual(repoBefore);
    expect(await snapshotOf(prod)).toEqual(prodBefore);
    await expectCorruptFails(dir, repo, "duplicity", ".", prod, "TEST_DUP_PW");
  }, 60_000);
});

// The lab target as the sandbox: the repository (a folder of this machine) is mounted read only into
// a lab container, and restic restores the newest snapshot there, into an empty folder of the run.
describe.skipIf(process.env.DRDRILL_SKIP_LAB === "1")("a restore test into the lab target", () => {
  it("restic: the newest snapshot restores in the lab container, read only; production untouched", async () => {
    const dir = await tmp("drdrill-lab-");
    const prod = await production(dir);
    const repo = join(dir, "restic-repo");
    const { newest, newestId } = await resticByHand(dir, prod, repo);
    const repoBefore = await snapshotOf(repo);
    const prodBefore = await snapshotOf(prod);
    const file = join(dir, "lab.yaml");
    await writeFile(
      file,
      scenario("restic-lab", "restic", repo, prod, "TEST_RESTIC_PW", "< 1d").replace("target: local", "target: lab"),
    );
    const began = Date.now();
    const r = await drdrill(["run", file, "--out", join(dir, "run")], {
      env: { TEST_RESTIC_PW: PASS },
      timeoutMs: 300_000,
    });
    expect(r.exitCode, r.all).toBe(0);
    const res = await readJson(join(dir, "run", "results.json"));
    expect(res.environment.target.kind ?? res.results[0].target).toMatch(/lab/);
    const t = res.results[0];
    expectNewest(t, newestId, newest, began);
    // restic ran in the container, on the read-only mount, without a lock.
    const calls = t.toolCalls.filter((c: any) => /^restic-(snapshots|restore)/.test(c.label));
    expect(calls).toHaveLength(2);
    for (const c of calls) expect(c.command).toMatch(/--repo \/drdrill-source .*--no-lock /);
    expect(await snapshotOf(repo)).toEqual(repoBefore);
    expect(await snapshotOf(prod)).toEqual(prodBefore);
  }, 300_000);
});

// A repository at site B: restic's sftp: backend to a plain SSH host (drdrill's sshd image), the
// repository made by hand here and mounted read only there, reached with a key and pinned host keys
// given in the scenario (`repository.ssh`). Neither the key nor the passphrase shows anywhere.
describe("a restore test of a repository at site B over SFTP", () => {
  it("restic sftp: the newest snapshot restores read only; the key and passphrase show nowhere", async () => {
    await buildSshdImage();
    const dir = await tmp();
    const prod = await production(dir);
    const repo = join(dir, "restic-repo");
    const { newest, newestId } = await resticByHand(dir, prod, repo);
    // The host's login user reads it (a read-only mount: nothing there can be written).
    for (const rel of ["", ...(await readdir(repo, { recursive: true }))]) {
      const st = await lstat(join(repo, rel));
      await chmod(join(repo, rel), st.isDirectory() ? 0o755 : 0o644);
    }
    const repoBefore = await snapshotOf(repo);
    const prodBefore = await snapshotOf(prod);
    const host = await startSshdContainer({
      runDir: dir,
      user: "drill",
      role: "site",
      extraMounts: [{ source: repo, target: "/srv/restic", mode: "ro" }],
    });
    try {
      const file = join(dir, "site.yaml");
      const text = scenario(
        "restic-sftp",
        "restic",
        `sftp:drill@${host.host}:/srv/restic`,
        prod,
        "TEST_SFTP_PW",
        "< 1d",
      );
      await writeFile(
        file,
        text.replace(
          "  compareWith:",
          `  ssh: { identityFile: ${host.identityFile}, knownHostsFile: ${host.knownHostsFile} }\n  compareWith:`,
        ),
      );
      const began = Date.now();
      const out = join(dir, "run");
      const r = await drdrill(["run", file, "--out", out, "--reporter", "console", "json", "markdown", "html"], {
        env: { TEST_SFTP_PW: PASS },
        timeoutMs: 90_000,
      });
      expect(r.exitCode, r.all).toBe(0);
      const t = (await readJson(join(out, "results.json"))).results[0];
      expectNewest(t, newestId, newest, began);
      expect(t.restoreTest.repository).toBe(`sftp:drill@${host.host}:/srv/restic`);
      const calls = t.toolCalls.filter((c: any) => /^restic-(snapshots|restore)/.test(c.label));
      expect(calls).toHaveLength(2);
      for (const c of calls)
        expect(c.command).toMatch(/sftp\.command=ssh -i \S+ .*StrictHostKeyChecking=yes.* --no-lock /);
      // Neither the passphrase nor any line of the private key is in the output or any file of the run.
      const key = (await readFile(host.identityFile, "utf8"))
        .split("\n")
        .filter((l) => l.length > 20 && !/^-----/.test(l));
      expect(key.length).toBeGreaterThan(0);
      for (const needle of [PASS, ...key]) expect(r.all).not.toContain(needle);
      for (const f of await allFiles(out)) {
        const body = await readFile(f, "utf8");
        for (const needle of [PASS, ...key]) expect(body.includes(needle), f).toBe(false);
      }
      expect(await snapshotOf(repo)).toEqual(repoBefore);
      expect(await snapshotOf(prod)).toEqual(prodBefore);
    } finally {
      await host.remove();
    }
  }, 120_000);
});
