// Backups at a secondary site (site B, a container drdrill stands up): each tool gets there in its
// own way, a thin or failing link shows in the numbers and in what each tool did, an attacker with
// the backup credentials erases a plain destination but not an append-only one, and nothing (no
// container, no rule, no key) is left behind, also after Ctrl-C.
import { execa } from "execa";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { allFiles, drdrill, readJson } from "../helpers/cli.ts";
import { tmp } from "../helpers/tmp.ts";

const MARKER = "drdrill-marker-passphrase-site-91d2";
const siteContainers = async () =>
  (await execa("docker", ["ps", "-aq", "--filter", "label=drdrill=sshd"])).stdout.trim();

async function run(files: string[], extra: string[] = [], env: Record<string, string> = {}) {
  const out = join(await tmp(), "run");
  const r = await drdrill(["run", ...files, ...extra, "--out", out], { env, timeoutMs: 1_200_000 });
  return { r, out, results: await readJson(join(out, "results.json")) };
}

describe("a secondary site", () => {
  it(
    "the seed drill recovers from site B with duplicity, restic and borg; bytes over the link are measured; no " +
      "key or passphrase shows",
    async () => {
      const { r, out, results } = await run(
        ["scenarios/site/seed-site.yaml"],
        ["--tool", "duplicity", "restic", "borg", "--size", "6MB"],
        { DRDRILL_PASSPHRASE: MARKER },
      );
      expect(r.exitCode, r.all.slice(-2000)).toBe(0);
      for (const x of results.results) {
        expect(x, x.reason).toMatchObject({ outcome: "recovered", destination: "site" });
        expect(x.metrics.repoBytes).toBeGreaterThan(1_000_000);
        expect(x.metrics.siteBytesSent).toBeGreaterThanOrEqual(x.metrics.repoBytes * 0.9);
        expect(x.metrics.siteBytesRestored).toBeGreaterThan(1_000_000);
      }
      expect(results.environment.target).toBeDefined();
      // The site key the target used: its private part is in no file of the run and in no output.
      for (const f of await allFiles(out)) {
        const text = await readFile(f, "utf8");
        expect(text, f).not.toContain(MARKER);
        expect(text, f).not.toContain("PRIVATE KEY");
      }
      expect(r.all).not.toContain(MARKER);
      expect(r.all).not.toContain("PRIVATE KEY");
      expect(await readFile(join(out, "report.md"), "utf8")).toContain("## Secondary site");
      expect(await siteContainers()).toBe("");
    },
  );

  it(
    "delete-backups: a plain destination loses everything (failed), an append-only one keeps it (recovered), for " +
      "restic and borg",
    async () => {
      const { r, out, results } = await run(
        ["scenarios/site/delete-backups-plain.yaml", "scenarios/site/delete-backups-append-only.yaml"],
        // the four runs at once: each stands up its own site B
        ["--tool", "restic", "borg", "--jobs", "4"],
      );
      expect(r.exitCode, r.all.slice(-2000)).toBe(0);
      const by = (s: string, t: string) => results.results.find((x: any) => x.scenario === s && x.tool === t);
      for (const t of ["restic", "borg"]) {
        expect(["failed", "detected"]).toContain(by("delete-backups-plain", t).outcome);
        expect(by("delete-backups-append-only", t).outcome, by("delete-backups-append-only", t).reason).toBe(
          "recovered",
        );
      }
      expect(by("delete-backups-append-only", "borg").faults[0].effects.operatorRollback).toMatchObject({
        undone: true,
      });
      const md = await readFile(join(out, "report.md"), "utf8");
      expect(md).toMatch(/### An attacker with the backup credentials/);
      expect(md).toMatch(/\| restic \| site \(append-only\) \| refused \| yes \| recovered \|/);
      expect(md).toMatch(/\| borg \| site \| succeeded \| no \|/);
    },
  );

  it("restore time against bandwidth: three caps, each slower than the next, drawn in the report", async () => {
    const { r, out, results } = await run(["scenarios/site/bandwidth-sweep.yaml"], ["--tool", "restic"]);
    expect(r.exitCode, r.all.slice(-2000)).toBe(0);
    const ms = [...results.results]
      .sort((a: any, b: any) => a.bandwidthBps - b.bandwidthBps)
      .map((x: any) => x.metrics.restoreMs);
    expect(ms).toHaveLength(3);
    expect(ms[0]).toBeGreaterThan(ms[1]);
    expect(ms[1]).toBeGreaterThan(ms[2]);
    // 12 MB at 1 MB/s cannot restore in less than about 8 s (restic compresses a little).
    expect(ms[0]).toBeGreaterThan(6000);
    const html = await readFile(join(out, "index.html"), "utf8");
    expect(html).toContain("Restore time against bandwidth to site B");
    expect(await readFile(join(out, "report.md"), "utf8")).toMatch(
      /### Restore time against bandwidth\n\n\| tool \| 1(\.00)? MB\/s \| 3(\.00)? MB\/s \| 9(\.00)? MB\/s \|/,
    );
  });

  it(
    "a partition during a backup, packet loss during a restore, an outage during a schedule: each ends as " +
      "declared, and the report says what the tool did",
    async () => {
      const { r, out, results } = await run(
        [
          "scenarios/site/partition-during-backup.yaml",
          "scenarios/site/loss-during-restore.yaml",
          "scenarios/site/outage-during-schedule.yaml",
        ],
        // the three at once: each its own site B, its rules in that site's own network namespace
        ["--tool", "restic", "--jobs", "3"],
      );
      expect(r.exitCode, r.all.slice(-3000)).toBe(0);
      const outage = results.results.find((x: any) => x.scenario === "outage-during-schedule");
      expect(outage.failedBackups.length).toBeGreaterThanOrEqual(1);
      expect(outage.metrics.rpoMs).toBeGreaterThanOrEqual(15_000);
      const md = await readFile(join(out, "report.md"), "utf8");
      expect(md).toMatch(/### When the link broke/);
      expect(md).toMatch(
        new RegExp(
          String.raw`\| restic \| partition \| restic-backup-incremental \| (finished|failed with a clear ` +
            String.raw`error|hung \(killed at the timeout\)|said what broke, then hung \(killed at the ` +
            String.raw`timeout\)) \|`,
        ),
      );
      expect(md).toMatch(/\| restic \| packet-loss \| restic-restore \| finished \|/);
      expect(md).toMatch(/### Backups that never reached the site/);
      expect(await siteContainers()).toBe("");
    },
  );

  it("latency is refused with exit 3 and names the missing kernel feature", async () => {
    const dir = await tmp();
    const file = join(dir, "latency.yaml");
    await writeFile(
      file,
      "name: latency\ndataset: { size: 2MB }\ndestination: site\ntools: [restic]\nsteps:\n  - backup: full\n  " +
        "- fault: { latency: { delay: 80ms } }\n  - restore: latest\n",
    );
    const { r, results } = await run([file]);
    expect(r.exitCode).toBe(3);
    expect(results.results[0].reason).toMatch(/netem/);
  });

  it("Ctrl-C during a partition: exit 130; no site container, no rule, no key is left", async () => {
    const dir = await tmp();
    const file = join(dir, "cut.yaml");
    await writeFile(
      file,
      "name: cut\ndataset: { size: 2MB }\ndestination: site\ntools: [restic]\nsteps:\n  - backup: full\n  - " +
        "fault: { partition: {} }\n  - backup: incremental\n",
    );
    const out = join(dir, "run");
    const child = drdrill(["run", file, "--out", out]);
    for (
      let i = 0;
      i < 1200 && !(await readFile(join(out, "journal.jsonl"), "utf8").catch(() => "")).includes('"fault":"partition"');
      i++
    )
      await new Promise((res) => setTimeout(res, 100));
    await new Promise((res) => setTimeout(res, 1000));
    child.kill("SIGINT");
    const r = await child;
    expect(r.exitCode).toBe(130);
    expect(await siteContainers()).toBe("");
    expect((await execa("nft", ["list", "ruleset"], { reject: false })).stdout).not.toMatch(/drdrill_/);
    await expect(readFile(join(out, "work"), "utf8")).rejects.toThrow();
  });
});
