// The lab target as a user sees it: real OpenStack services (Keystone, Glance, Placement, MariaDB,
// RabbitMQ) in a container; the seed drill cold and hot, a restore onto a fresh node, failover to a
// MariaDB replica at site B, a corrupt archive, a wrong passphrase, Ctrl-C; and no container left
// behind (`docker ps -a --filter label=drdrill.pid=PID`: each test counts its own run's containers, so
// another drdrill running beside the suite, played by a decoy container, is neither counted nor removed).
// `npm test` builds the image first (drdrill lab build); DRDRILL_SKIP_LAB=1 skips this suite.
import { execa, execaSync } from "execa";
import { readFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { allFiles, drdrill, journalEvents, readJson } from "../helpers/cli.ts";
import { tmp } from "../helpers/tmp.ts";

const MARKER = "drdrill-lab-marker-passphrase-51c9";
const DRILL_MS = 900_000;

/** The drdrill processes this suite started: their containers are the only ones it counts or removes. */
const ours = new Set<number>();

/** Containers (lab and sshd) labelled by one drdrill process: each test counts its own run's alone. */
async function labContainers(pid: number): Promise<string[]> {
  const r = await execa(
    "docker",
    [
      "ps",
      "-aq",
      "--filter",
      "label=drdrill",
      "--filter",
      `label=drdrill.pid=${pid}`,
      "--filter",
      `label=drdrill.host=${hostname()}`,
    ],
    { reject: false },
  );
  return String(r.stdout).split("\n").filter(Boolean);
}

/** Every container of a drdrill this suite started (never another drdrill's, running beside it). */
async function ourContainers(): Promise<string[]> {
  return (await Promise.all([...ours].map(labContainers))).flat();
}

async function removeLabContainers(): Promise<void> {
  const ids = await ourContainers();
  if (ids.length > 0) await execa("docker", ["rm", "-f", "-v", ...ids], { reject: false });
}

/** Starts drdrill and notes its pid (its containers carry it as a label). */
function startDrdrill(...a: Parameters<typeof drdrill>): ReturnType<typeof drdrill> {
  const child = drdrill(...a);
  if (child.pid !== undefined) ours.add(child.pid);
  return child;
}

// If the suite itself is interrupted, its containers go too (drdrill removes its own on Ctrl-C).
process.once("exit", () => {
  for (const pid of ours)
    execaSync(
      "sh",
      ["-c", `ids=$(docker ps -aq --filter label=drdrill.pid=${pid}); [ -z "$ids" ] || docker rm -f -v $ids`],
      { reject: false, stdio: "ignore" },
    );
});

/** A container labelled as another drdrill's running beside the suite: never counted nor removed. */
const DECOY = `drdrill-lab-test-decoy-${process.pid}`;

/** Runs a scenario file (under scenarios/) on the lab; `args` adds to the command line. */
async function runLab(scenario: string, env: Record<string, string> = {}, args: string[] = []) {
  const out = join(await tmp("drdrill-lab-"), "run");
  const child = startDrdrill(["run", `scenarios/${scenario}`, ...args, "--out", out], {
    env: { DRDRILL_PASSPHRASE: MARKER, ...env },
    timeoutMs: DRILL_MS,
  });
  const r = await child;
  const left = await labContainers(child.pid!);
  const results = await readJson(join(out, "results.json")).catch(() => null);
  return { r, out, results, run: results?.results?.[0], left };
}

/** The detail of the last health check the drill recorded (what a user reads in the journal). */
async function lastHealth(out: string): Promise<string> {
  return (await journalEvents(out)).filter((e) => e.type === "health").at(-1)?.detail ?? "";
}

describe.skipIf(process.env.DRDRILL_SKIP_LAB === "1")("lab target: MicroStack services in a container", () => {
  beforeAll(async () => {
    const status = await drdrill(["lab", "status"]);
    expect(status.exitCode, status.all).toBe(0);
    expect(status.stdout, "run `node bin/drdrill.js lab build` first (npm test does)").toMatch(/^image \S+: built/m);
    // what an earlier, interrupted suite left (its drdrill is gone) goes; another drdrill's stays
    await drdrill(["clean"]);
    const image = /^image (\S+): built/m.exec(status.stdout)![1]!;
    const labels = {
      drdrill: "lab",
      "drdrill.role": "target",
      "drdrill.pid": String(process.pid),
      "drdrill.host": hostname(),
    };
    await execa("docker", ["rm", "-f", DECOY], { reject: false });
    await execa("docker", [
      "run",
      "-d",
      "--name",
      DECOY,
      ...Object.entries(labels).flatMap(([k, v]) => ["--label", `${k}=${v}`]),
      "--entrypoint",
      "sleep",
      image,
      "3600",
    ]);
  });
  afterEach(removeLabContainers);
  afterAll(async () => {
    await removeLabContainers();
    expect(await ourContainers()).toEqual([]);
    // the other drdrill's container was neither counted nor removed by the suite
    const decoy = await execa("docker", ["inspect", "-f", "{{.State.Running}}", DECOY], { reject: false });
    await execa("docker", ["rm", "-f", DECOY], { reject: false });
    expect(decoy.stdout.trim()).toBe("true");
  });

  it(
    "seed drill, cold: recovered with app-level checks; RTO, RPO, downtime and throughput reported",
    { timeout: DRILL_MS },
    async () => {
      const { r, out, run, left } = await runLab("lab/seed-lab.yaml");
      expect(r.exitCode, r.all).toBe(0);
      expect(left, "containers left behind").toEqual([]);
      expect(run).toMatchObject({
        scenario: "seed-lab",
        tool: "duplicity",
        target: "lab",
        mode: "cold",
        outcome: "recovered",
        passed: true,
      });
      for (const m of [
        "rtoMs",
        "rpoMs",
        "downtimeMs",
        "backupMs",
        "restoreMs",
        "backupThroughputBps",
        "restoreThroughputBps",
        "repoBytes",
      ]) {
        expect(run.metrics[m], m).toBeGreaterThan(0);
      }
      expect(run.metrics.sourceBytes).toBeGreaterThan(40_000_000); // the images plus the services' state
      expect(run.verification).toMatchObject({ mismatchCount: 0 });
      expect(run.verification.filesChecked).toBeGreaterThan(100);
      expect(run.toolCalls.find((c: any) => c.kind === "backup").command).toMatch(
        /^docker exec -e PASSPHRASE drdrill-lab-\S+ duplicity full /,
      );
      const health = await lastHealth(out);
      expect(health).toContain("token issue OK");
      expect(health).toContain("3 projects and 3 users present");
      expect(health).toMatch(/\d+ images \(40\.0 MB\) download with their sha256 and Glance checksum/);
      expect(health).toContain("pre-disaster token valid (HTTP 200)");
      expect(health).toMatch(/database holds \d+ load rows/);
      const labLog = await readFile(join(out, "logs", "run-001", "lab-target.log"), "utf8");
      expect(labLog).toMatch(/MICROSTACK-LAB READY/);
      expect(r.stdout).toMatch(/PASS\s+seed-lab .*recovered\s+RTO (\d+m )?[\d.]+ ?s\s+RPO (\d+m )?[\d.]+ ?s/);
      for (const f of await allFiles(out)) expect(await readFile(f, "utf8"), f).not.toContain(MARKER);
      expect(r.all).not.toContain(MARKER);
    },
  );

  it(
    "seed drill, hot: services stay up, a mariabackup copy makes the database consistent",
    { timeout: DRILL_MS },
    async () => {
      const { r, out, run, left } = await runLab("lab/seed-lab-hot.yaml");
      expect(r.exitCode, r.all).toBe(0);
      expect(left).toEqual([]);
      expect(run).toMatchObject({ mode: "hot", outcome: "recovered", passed: true });
      expect(run.metrics.downtimeMs).toBe(0);
      expect(run.metrics.rpoMs).toBeGreaterThan(0);
      expect(run.phases.find((p: any) => p.name === "quiesce" && p.detail === "hot: consistent dump")).toBeTruthy();
      const labLog = await readFile(join(out, "logs", "run-001", "lab-target.log"), "utf8");
      expect(labLog).toContain("the consistent mariabackup copy replaced the live InnoDB files");
      expect(await lastHealth(out)).toMatch(/database holds [1-9]\d* load rows/);
    },
  );

  it(
    "restore onto a fresh node: the old token is refused before the restore, accepted after",
    { timeout: DRILL_MS },
    async () => {
      const { r, out, run, left } = await runLab("lab/fresh-node.yaml");
      expect(r.exitCode, r.all).toBe(0);
      expect(left).toEqual([]);
      expect(run).toMatchObject({ scenario: "lab-fresh-node", outcome: "recovered", passed: true });
      const health = await lastHealth(out);
      expect(health).toContain("pre-disaster token valid (HTTP 200)");
      expect(health).toContain("fresh node: the pre-disaster token got HTTP 401 before the restore");
      const labLog = await readFile(join(out, "logs", "run-001", "lab-target.log"), "utf8");
      expect(labLog).toMatch(/fresh node drdrill-lab-\S+: MICROSTACK-LAB READY \(fresh state/);
    },
  );

  it(
    "site-B recovery: a new node at site B, given only the repository, its key and the passphrase, recovers " +
      "the lost node's state",
    { timeout: DRILL_MS },
    async () => {
      const { r, out, run, left } = await runLab("site/lab-site-recovery.yaml", {}, ["--tool", "restic"]);
      expect(r.exitCode, r.all.slice(-3000)).toBe(0);
      expect(left).toEqual([]); // the node, the fresh node and site B are gone
      expect(run).toMatchObject({ scenario: "lab-site-recovery", target: "lab", outcome: "recovered", passed: true });
      expect(run.metrics.rtoMs).toBeGreaterThan(0);
      expect(run.metrics.repoBytes).toBeGreaterThan(0);
      const health = await lastHealth(out);
      expect(health).toContain("pre-disaster token valid (HTTP 200)");
      expect(health).toContain("fresh node: the pre-disaster token got HTTP 401 before the restore");
      const labLog = await readFile(join(out, "logs", "run-001", "lab-target.log"), "utf8");
      expect(labLog).toMatch(/fresh node drdrill-lab-\S+ at site B \(in \S+'s network\)/);
      for (const f of await allFiles(out)) expect(await readFile(f, "utf8"), f).not.toContain(MARKER);
    },
  );

  it(
    "replicated: after a site loss and after a corrupt database file, the standby's MariaDB replica is " +
      "promoted at site B and passes the lab's health checks there; restic every 15 s restores onto a new node",
    { timeout: DRILL_MS },
    async () => {
      // --keep: the run's folders stay (the primaries' and the standbys' data, the site's disk), to be searched for
      // the password below.
      const { r, out, results, left } = await runLab("replication/lab-site-loss.yaml", {}, [
        "scenarios/replication/lab-corrupt-database.yaml",
        "--keep",
      ]);
      expect(r.exitCode, r.all.slice(-3000)).toBe(0);
      expect(left).toEqual([]); // the primaries, the standbys, the new node and site B are gone
      const by = (t: string, scenario = "lab-replicate-site-loss") =>
        results.results.find((x: any) => x.tool === t && x.scenario === scenario);
      const rep = by("mariadb-replication");
      expect(rep, JSON.stringify(rep?.reason)).toMatchObject({
        scenario: "lab-replicate-site-loss",
        target: "lab",
        outcome: "recovered",
        passed: true,
        replication: true,
      });
      // Asynchronous replication trails by the writes of the last moment: well under a second here, a few at most.
      expect(rep.metrics.rpoMs).toBeLessThan(5_000);
      expect(rep.metrics.replicationLagMaxMs).toBeGreaterThanOrEqual(rep.metrics.replicationLagMs);
      expect(rep.metrics.rtoMs).toBeGreaterThan(0);
      const events = await journalEvents(out);
      const health = events.filter((e) => e.run === rep.index && e.type === "health").map((e) => e.detail as string);
      const atB = health.find((d) => d.startsWith("at site B: "));
      expect(atB, health.join("\n")).toBeDefined();
      for (const part of [
        "token issue OK",
        "3 projects and 3 users present",
        "download with their sha256 and Glance checksum",
        "pre-disaster token valid (HTTP 200)",
        "load rows",
      ])
        expect(atB).toContain(part);
      expect(
        events.some(
          (e) =>
            e.run === rep.index &&
            e.type === "fault-injected" &&
            (e.effects as any).stopped?.includes("machine (killed)"),
        ),
      ).toBe(true);
      expect(events.filter((e) => e.run === rep.index && e.type === "replication-lag").length).toBeGreaterThan(5);
      // Replication ships changes, not pages: the corruption of the primary's files never reaches the standby.
      const corrupt = by("mariadb-replication", "lab-replicate-corrupt-database");
      expect(corrupt, JSON.stringify(corrupt?.reason)).toMatchObject({ outcome: "recovered", passed: true });
      const corruptHealth = events
        .filter((e) => e.run === corrupt.index && e.type === "health")
        .map((e) => e.detail as string);
      expect(
        corruptHealth.find((d) => d.startsWith("at site B: ")),
        corruptHealth.join("\n"),
      ).toContain("pre-disaster token valid (HTTP 200)");
      const calls = rep.toolCalls.map((c: any) => c.label);
      expect(calls).toContain("mariadb-replication-start");
      expect(calls).toContain("mariadb-replication-failover");

      const restic = by("restic");
      expect(restic, JSON.stringify(restic?.reason)).toMatchObject({ outcome: "recovered", passed: true });
      expect(restic.metrics.rpoMs).toBeGreaterThan(rep.metrics.rpoMs);
      expect(restic.metrics.rpoMs).toBeLessThanOrEqual(15_000 + 15_000);
      const labLog = await readFile(
        join(out, "logs", `run-${String(restic.index + 1).padStart(3, "0")}`, "lab-target.log"),
        "utf8",
      );
      expect(labLog).toMatch(/node lost: killed drdrill-lab-/);
      expect(results.results).toHaveLength(3);
      expect(labLog).toMatch(/fresh node drdrill-lab-\S+: MICROSTACK-LAB READY/);

      // The replication account's password went to MariaDB over standard input only: no statement or
      // client file carrying it is left in the logs, the journal, the primaries' binary logs or the
      // standbys' data (their replication settings are reset at the failover).
      const files = await allFiles(out);
      // the primary's binary log was kept and is searched
      expect(files.some((f) => /\/lib\/mysql\/mariadb-bin\.0+\d$/.test(f))).toBe(true);
      for (const f of files) {
        const text = await readFile(f, "utf8");
        expect(text, f).not.toContain(MARKER);
        // MariaDB's help tables (its documentation, shipped in every datadir) show these statements.
        if (/\/mysql\/help_\w+\.\w+$/.test(f)) continue;
        expect(text, f).not.toMatch(/MASTER_PASSWORD|IDENTIFIED BY|^password=/m);
      }
    },
  );

  it("a corrupt archive is detected, and nothing broken is put in place", { timeout: DRILL_MS }, async () => {
    const { r, run, left } = await runLab("lab/corrupt-archive.yaml");
    expect(r.exitCode, r.all).toBe(0);
    expect(left).toEqual([]);
    expect(run).toMatchObject({ scenario: "lab-corrupt-archive", outcome: "detected", passed: true });
    expect(run.phases.map((p: any) => p.name)).not.toContain("replace");
  });

  it("a wrong passphrase is detected", { timeout: DRILL_MS }, async () => {
    const { r, run, left } = await runLab("lab/wrong-passphrase.yaml");
    expect(r.exitCode, r.all).toBe(0);
    expect(left).toEqual([]);
    expect(run).toMatchObject({ scenario: "lab-wrong-passphrase", outcome: "detected", passed: true });
    expect(run.reason).toMatch(/duplicity-restore/);
  });

  it(
    "Ctrl-C while the lab replicates to its standby: exit 130, the primary, the standby and site B are removed",
    { timeout: DRILL_MS },
    async () => {
      const out = join(await tmp("drdrill-lab-"), "run");
      const child = startDrdrill(
        ["run", "scenarios/replication/lab-site-loss.yaml", "--tool", "mariadb-replication", "--out", out],
        { timeoutMs: DRILL_MS },
      );
      // wait until replication runs: the first scheduled check after it started
      for (
        let i = 0;
        i < 600 &&
        !(await readFile(join(out, "journal.jsonl"), "utf8").catch(() => "")).includes('"type":"replication-lag"');
        i++
      )
        await sleep(500);
      expect((await labContainers(child.pid!)).length).toBe(3); // the primary, the standby, site B
      child.kill("SIGINT");
      const r = await child;
      expect(r.exitCode, r.all).toBe(130);
      expect(await labContainers(child.pid!)).toEqual([]);
    },
  );

  it("Ctrl-C during a lab drill: exit 130, the container is removed", { timeout: DRILL_MS }, async () => {
    const out = join(await tmp("drdrill-lab-"), "run");
    const child = startDrdrill(["run", "scenarios/lab/seed-lab.yaml", "--out", out], { timeoutMs: DRILL_MS });
    // wait until the container runs and the drill is seeding it
    for (
      let i = 0;
      i < 600 && !(await readFile(join(out, "journal.jsonl"), "utf8").catch(() => "")).includes('"phase":"seed"');
      i++
    )
      await sleep(500);
    expect((await labContainers(child.pid!)).length).toBe(1);
    child.kill("SIGINT");
    const r = await child;
    expect(r.exitCode, r.all).toBe(130);
    expect(await labContainers(child.pid!)).toEqual([]);
  });
});
