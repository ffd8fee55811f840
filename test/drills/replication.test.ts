// Replication against backup: lsyncd mirrors the data to site B continuously, the scheduled backups
// go to the same site. Losing the primary costs replication seconds and a backup its interval; a
// deleted directory is replicated faithfully (failed) and restored from the backups (recovered).
// No lsyncd is left running: not after a run, not after Ctrl-C, not after a SIGKILL and `drdrill clean`.
import { execa } from "execa";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { drdrill, readJson } from "../helpers/cli.ts";
import { tmp } from "../helpers/tmp.ts";

// Running lsyncd processes. A killed lsyncd whose parent is gone waits as a zombie until init reaps it
// (this machine's init reaps late): it runs nothing, so it is not counted.
const lsyncds = async () =>
  (await execa("ps", ["-C", "lsyncd", "-o", "pid=,stat="], { reject: false })).stdout
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .filter(([pid, stat]) => pid && !stat?.startsWith("Z"))
    .map(([pid]) => pid)
    .join(" ");
const siteContainers = async () =>
  (await execa("docker", ["ps", "-aq", "--filter", "label=drdrill=sshd"])).stdout.trim();

async function waitForJournal(out: string, text: string): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if ((await readFile(join(out, "journal.jsonl"), "utf8").catch(() => "")).includes(text)) return;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`the journal never showed ${text}`);
}

describe("replication against backup", () => {
  it(
    "site loss: lsyncd fails over with an RPO of seconds, restic's RPO is bounded by its interval; a deleted " +
      "directory replicates (failed) and restores from the backup (recovered); the matrix says so",
    async () => {
      const out = join(await tmp(), "run");
      const r = await drdrill(
        [
          "run",
          "scenarios/replication/site-loss.yaml",
          "scenarios/replication/deleted-directory.yaml",
          "--tool",
          "lsyncd",
          "restic",
          // the four runs at once: each has its own site B, and the disaster falls at the same seeded point
          // of its own schedule's last interval, so the RPOs compare as they do one at a time
          "--jobs",
          "4",
          "--out",
          out,
        ],
        { timeoutMs: 900_000 },
      );
      expect(r.exitCode, r.all.slice(-3000)).toBe(0);
      const { results } = await readJson(join(out, "results.json"));
      const by = (s: string, t: string) => results.find((x: any) => x.scenario === s && x.tool === t);

      const lostL = by("replicate-site-loss", "lsyncd");
      expect(lostL.outcome, lostL.reason).toBe("recovered");
      expect(lostL.replication).toBeDefined();
      expect(lostL.metrics.replicationLagMs).toBeGreaterThanOrEqual(0);
      expect(lostL.metrics.replicationLagMaxMs).toBeGreaterThanOrEqual(lostL.metrics.replicationLagMs);
      // inotify plus lsyncd's 1 s batching: the replica trails by seconds, far less than the 15 s interval.
      expect(lostL.metrics.rpoMs).toBeLessThan(10_000);
      const lostR = by("replicate-site-loss", "restic");
      expect(lostR.outcome, lostR.reason).toBe("recovered");
      // The scenario's seed strikes at 72 % of the 15 s interval: restic has lost about 11 s of writes.
      expect(lostR.metrics.rpoMs).toBeGreaterThan(lostL.metrics.rpoMs);
      expect(lostR.metrics.rpoMs).toBeLessThanOrEqual(15_000 + 10_000);

      const delL = by("replicate-deleted-directory", "lsyncd");
      expect(delL.outcome).toBe("failed");
      expect(delL.passed).toBe(true); // expectFor: { lsyncd: failed }
      expect(delL.reason).toMatch(/replica at site B holds the damage too/);
      expect(by("replicate-deleted-directory", "restic").outcome).toBe("recovered");

      const md = await readFile(join(out, "report.md"), "utf8");
      expect(md).toContain("## Replication against backup");
      expect(md).toMatch(/\| site-loss \| ✅ recovered<br>RPO [^|]*lag /);
      expect(md).toMatch(/\| delete-path \| ❌ failed<br>/);
      expect(await lsyncds()).toBe("");
      expect(await siteContainers()).toBe("");
    },
  );

  it("Ctrl-C while lsyncd replicates stops it; a SIGKILLed drdrill's lsyncd is killed by drdrill clean", async () => {
    const dir = await tmp();
    const args = (out: string) => ["run", "scenarios/replication/site-loss.yaml", "--tool", "lsyncd", "--out", out];
    const out1 = join(dir, "int");
    const child = drdrill(args(out1));
    await waitForJournal(out1, '"phase":"load"');
    expect(await lsyncds()).not.toBe("");
    child.kill("SIGINT");
    expect((await child).exitCode).toBe(130);
    expect(await lsyncds()).toBe("");
    expect(await siteContainers()).toBe("");

    const out2 = join(dir, "kill");
    const killed = drdrill(args(out2));
    await waitForJournal(out2, '"phase":"load"');
    expect(await lsyncds()).not.toBe("");
    killed.kill("SIGKILL");
    await killed;
    const clean = await drdrill(["clean"]);
    expect(clean.exitCode, clean.all).toBe(0);
    expect(clean.all).toMatch(/lsyncd replicating to site B/);
    expect(await lsyncds()).toBe("");
    expect(await siteContainers()).toBe("");
  });
});
