// duplicity's `encryption: gpg-key` for real (issue 25, point 3): the run's own key pair backs up and
// restores; lost-key deletes its secret key and the restore fails with gpg's own words; in a work folder
// too deep for gpg-agent's sockets; and after the run no agent of its GNUPGHOME runs and the home is gone;
// after a SIGKILL, the sweep of the run's leases kills the agent and `drdrill clean` removes its link.
import { existsSync, lstatSync } from "node:fs";
import { lutimes, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { setTimeout as sleep } from "node:timers/promises";
import { sweepLeftovers } from "../../harness/runner/sweep-leftovers.ts";
import { removeLeftLinks } from "../../harness/tools/gpg-keyring.ts";
import { allFiles, drdrill, readJson } from "../helpers/cli.ts";
import { tmp } from "../helpers/tmp.ts";

const RECOVERS = `name: gpg-key-recovers
dataset: { size: 2MB, seed: 5 }
timeout: 60s
tools:
  - duplicity: { encryption: gpg-key, volsize: 1 }
steps:
  - backup: full
  - backup: incremental
  - fault: { delete-path: { path: . } }
  - restore: latest
  - verify: [files, services]
expect: recovered
`;

const LOST_KEY = `name: gpg-key-lost-key
dataset: { size: 2MB, seed: 5 }
timeout: 60s
tools:
  - duplicity: { encryption: gpg-key }
steps:
  - backup: full
  - fault: { delete-path: { path: . } }
  - fault: { lost-key: {} }
  - restore: latest
expect: detected
`;

/** The command lines of the gpg-agents running now (zombies have exited: only their parent's wait is left). */
async function runningAgents(): Promise<string[]> {
  const out: string[] = [];
  for (const pid of (await readdir("/proc")).filter((p) => /^\d+$/.test(p))) {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
    if (!stat.includes("(gpg-agent)") || / Z /.test(stat.slice(stat.lastIndexOf(")")))) continue;
    out.push((await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "")).replaceAll("\0", " "));
  }
  return out;
}

describe("duplicity encryption: gpg-key", () => {
  it(
    "the run's own key pair recovers the files; lost-key ends detected with gpg's 'No secret key'; no agent " +
      "and no GNUPGHOME are left, in a work folder too deep for the agent's sockets",
    async () => {
      const dir = await tmp("gpg-key-");
      await writeFile(join(dir, "recovers.yaml"), RECOVERS);
      await writeFile(join(dir, "lost-key.yaml"), LOST_KEY);
      // <out>/work/run-N/target/tool/gnupg/S.gpg-agent.browser would pass a socket's 107 bytes.
      const out = join(dir, "a".repeat(40), "b".repeat(30), "run");
      const r = await drdrill(["run", join(dir, "recovers.yaml"), join(dir, "lost-key.yaml"), "--out", out]);
      expect(r.exitCode, r.all).toBe(0);

      const results = await readJson(join(out, "results.json"));
      const [ok, lost] = ["gpg-key-recovers", "gpg-key-lost-key"].map((n) =>
        results.results.find((x: any) => x.scenario === n),
      );
      expect(ok, ok.reason).toMatchObject({ outcome: "recovered", passed: true });
      expect(ok.verification.filesChecked).toBeGreaterThan(10);
      expect(ok.verification.mismatchCount).toBe(0);
      const calls = (run: any) => run.toolCalls.map((c: any) => [c.label, c.exitCode]);
      expect(calls(ok)).toEqual([
        ["gpg-gen-key", 0],
        ["duplicity-full", 0],
        ["duplicity-incremental", 0],
        ["duplicity-restore", 0],
      ]);
      expect(ok.toolCalls[1].command).toMatch(/--encrypt-key [0-9A-F]{40}\b/);

      expect(lost, lost.reason).toMatchObject({ outcome: "detected", passed: true });
      expect(lost.reason).toMatch(/decryption failed: No secret key/);
      expect(calls(lost).slice(0, 3)).toEqual([
        ["gpg-gen-key", 0],
        ["duplicity-full", 0],
        ["gpg-delete-secret-key", 0],
      ]);
      const restore = lost.toolCalls.find((c: any) => c.kind === "restore");
      expect(restore.exitCode).not.toBe(0);
      expect(await readFile(join(out, restore.stderrLog), "utf8")).toMatch(/No secret key/);

      // Each run's GNUPGHOME: a short link in /tmp (the work folder is too deep), gone with its folder.
      const files = await allFiles(out);
      const homes: string[] = [];
      for (const f of files.filter((f) => f.endsWith("gpg-gen-key.stdout.log")))
        homes.push(/^home (.+)$/m.exec(await readFile(f, "utf8"))![1]!);
      expect(homes).toHaveLength(2);
      for (const home of homes) {
        expect(home).toMatch(/^\/tmp\/drdrill-gpg\./);
        expect(() => lstatSync(home)).toThrow();
      }
      expect(existsSync(join(out, "work"))).toBe(false);
      const agents = (await runningAgents()).filter((c) => homes.some((h) => c.includes(h)) || c.includes(out));
      expect(agents).toEqual([]);

      // No key material in the run's folder: gpg never exported the private key.
      for (const f of files) expect(await readFile(f, "utf8"), f).not.toMatch(/PRIVATE KEY BLOCK/);
    },
  );

  it("a drdrill killed hard (SIGKILL) after making its key: the sweep kills its agent, the link goes", async () => {
    const dir = await tmp("gpg-key-kill-");
    const leases = join(dir, "leases");
    await writeFile(
      join(dir, "slow.yaml"),
      "name: gpg-key-killed\ndataset: { size: 1MB, seed: 5 }\ntools:\n  - duplicity: { encryption: gpg-key }\n" +
        'steps:\n  - backup: full\n  - run: { command: "sleep 60", on: local }\n',
    );
    const out = join(dir, "a".repeat(40), "b".repeat(30), "run");
    const child = drdrill(["run", join(dir, "slow.yaml"), "--out", out], { env: { DRDRILL_LEASE_DIR: leases } });
    let seen = "";
    child.all!.on("data", (b: Buffer) => (seen += String(b)));
    for (let i = 0; i < 600 && !/backup \(full\): done/.test(seen); i++) await sleep(100);
    expect(seen).toMatch(/backup \(full\): done/);
    const log = (await allFiles(out)).find((f) => f.endsWith("gpg-gen-key.stdout.log"))!;
    const home = /^home (.+)$/m.exec(await readFile(log, "utf8"))![1]!;
    expect(home).toMatch(/^\/tmp\/drdrill-gpg\./);
    expect((await runningAgents()).filter((c) => c.includes(home))).toHaveLength(1);
    child.kill("SIGKILL");
    await child;
    // after a SIGKILL nothing of the run stopped its agent: it still runs, its link still there
    expect((await runningAgents()).filter((c) => c.includes(home))).toHaveLength(1);
    const before = process.env.DRDRILL_LEASE_DIR;
    process.env.DRDRILL_LEASE_DIR = leases;
    try {
      const { removed } = await sweepLeftovers();
      expect(removed.join("\n")).toMatch(/gpg-key's gpg-agent \(process-group \d+\)/);
    } finally {
      if (before === undefined) delete process.env.DRDRILL_LEASE_DIR;
      else process.env.DRDRILL_LEASE_DIR = before;
    }
    // `drdrill clean` a minute later or more (a link younger than that is taken for one being made)
    const hourAgo = new Date(Date.now() - 3_600_000);
    await lutimes(home, hourAgo, hourAgo);
    expect(await removeLeftLinks()).toContain(home);
    expect(() => lstatSync(home)).toThrow();
    expect((await runningAgents()).filter((c) => c.includes(home))).toEqual([]);
  });
});
