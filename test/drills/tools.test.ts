// restic, borg, tar-zstd and cp for real: drills through the drdrill CLI as a user runs them, then
// each adapter on its own for what a drill file cannot reach yet (restore at a time, stale locks).
import { spawn } from "node:child_process";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { LocalExecutor } from "../../harness/exec/local-executor.ts";
import { generateDataset } from "../../harness/targets/local/generator.ts";
import { TOOLS } from "../../harness/tools/registry.ts";
import type { ToolSession } from "../../harness/tools/tool.ts";
import { SecretStore } from "../../harness/util/secrets.ts";
import { allFiles, drdrill, readJson } from "../helpers/cli.ts";
import { tmp } from "../helpers/tmp.ts";

const MARKER = "drdrill-marker-passphrase-tools-5c1e";

async function scenario(dir: string, body: string): Promise<string> {
  const file = join(dir, "drill.yaml");
  await writeFile(file, body);
  return file;
}

describe("the seed drill with every new tool", () => {
  it(
    "restic, borg (two settings), tar-zstd and cp recover, check clean, and report their numbers; the passphrase " +
      "appears nowhere",
    async () => {
      const dir = await tmp();
      const file = await scenario(
        dir,
        `name: tools-seed
dataset: { size: 8MB, seed: 3 }
tools:
  - restic: {}
  - borg: { compression: lz4 }
  - borg: { encryption: none, compression: zstd }
  - tar-zstd: {}
  - cp: {}
steps:
  - backup: full
  - check: light
  - check: deep
  - load: 1s
  - fault: { delete-path: { path: . } }
  - restore: latest
  - verify: [files, services]
expect: recovered
`,
      );
      const out = join(dir, "run");
      const r = await drdrill(["run", file, "--out", out], { env: { DRDRILL_PASSPHRASE: MARKER } });
      expect(r.exitCode, r.all).toBe(0);
      const results = await readJson(join(out, "results.json"));
      expect(
        results.results.map((x: any) => [x.tool, x.settings.encryption ?? null, x.settings.compression ?? null]),
      ).toEqual([
        ["restic", null, "auto"],
        ["borg", "repokey-blake2", "lz4"],
        ["borg", "none", "zstd"],
        ["tar-zstd", null, null],
        ["cp", null, null],
      ]);
      expect(Object.keys(results.environment.tools)).toEqual(
        expect.arrayContaining(["restic", "borg", "tar-zstd", "cp"]),
      );
      expect(results.environment.tools.restic).toMatch(/^0\.\d+\.\d+$/);
      for (const run of results.results) {
        const what = `${run.label}: ${run.reason}`;
        expect(run, what).toMatchObject({ outcome: "recovered", passed: true });
        expect(run.verification.filesChecked, what).toBeGreaterThan(50);
        expect(run.verification.mismatchCount, what).toBe(0);
        expect(run.verification.fidelity.hardlinks.kept, what).toBe(run.verification.fidelity.hardlinks.checked);
        expect(run.verification.fidelity.mtime.precisionMs, what).toBe(0);
        expect(
          run.toolCalls.filter((c: any) => c.kind !== "init").map((c: any) => [c.kind, c.exitCode]),
          what,
        ).toEqual([
          ["backup", 0],
          ["check", 0],
          ["check", 0],
          ["restore", 0],
        ]);
        for (const m of ["backupThroughputBps", "restoreThroughputBps", "repoBytes", "rtoMs", "rpoMs", "cpuMs"])
          expect(run.metrics[m], `${what} ${m}`).toBeGreaterThan(0);
        expect(run.metrics.sourceBytes).toBe(8_000_000);
      }
      const backupStats = (i: number) => results.results[i].toolCalls.find((c: any) => c.kind === "backup").stats;
      expect(backupStats(0)).toMatchObject({
        sourceFiles: expect.any(Number),
        sourceBytes: expect.any(Number),
        addedBytes: expect.any(Number),
        errors: 0,
      });
      expect(backupStats(1).sourceBytes).toBeGreaterThanOrEqual(8_000_000);
      expect(backupStats(3).addedBytes).toBeGreaterThan(0);
      // the comparison: one group per tool and settings, a winner per metric, in results.json and report.md
      const cmp = results.comparison.scenarios[0];
      expect(cmp.groups).toHaveLength(5);
      expect(cmp.winners.backupThroughputBps).toHaveLength(1);
      const report = await readFile(join(out, "report.md"), "utf8");
      expect(report).toContain("## Comparison");
      expect(report).toContain("| borg encryption=none compression=zstd | 1 | 1 recovered |");
      expect(report).toContain("RESTIC_PASSWORD=*** restic");
      expect(report).toContain("BORG_PASSPHRASE=*** borg create");
      for (const f of await allFiles(out)) expect(await readFile(f, "utf8"), f).not.toContain(MARKER);
      expect(r.all).not.toContain(MARKER);
    },
  );

  it(
    "a full then an incremental backup restore as the latest state; cp's refusal of incrementals is known before " +
      "anything runs",
    async () => {
      const dir = await tmp();
      const steps = `steps:
  - backup: full
  - load: 1s
  - backup: incremental
  - load: 1s
  - fault: { delete-path: { path: . } }
  - restore: latest
  - verify: [files, services]
expect: recovered
`;
      const file = await scenario(
        dir,
        `name: tools-incremental\ndataset: { size: 6MB, seed: 4 }\ntools: [restic, borg, tar-zstd]\n${steps}`,
      );
      const out = join(dir, "run");
      const r = await drdrill(["run", file, "--out", out]);
      expect(r.exitCode, r.all).toBe(0);
      const results = await readJson(join(out, "results.json"));
      const [, , tar] = results.results;
      for (const run of results.results) {
        expect(run, run.reason).toMatchObject({ outcome: "recovered", passed: true });
        expect(run.toolCalls.filter((c: any) => c.kind === "backup").map((c: any) => c.exitCode)).toEqual([0, 0]);
        expect(run.verification.mismatchCount).toBe(0);
      }
      expect(tar.toolCalls.filter((c: any) => c.kind === "backup").map((c: any) => c.label)).toEqual([
        "tar-zstd-full",
        "tar-zstd-incremental",
      ]);
      // cp cannot take an incremental: the scenario is refused at validation, with the step's location.
      const cpFile = await scenario(dir, `name: cp-incremental\ntools: [cp]\n${steps}`);
      const v = await drdrill(["validate", cpFile]);
      expect(v.exitCode).toBe(2);
      expect(v.stderr).toMatch(
        new RegExp(
          String.raw`:6:\d+: steps\[2\]\.backup: cp keeps full copies only: an incremental backup is not ` +
            String.raw`supported .*\(tools\[0\]: cp\)`,
        ),
      );
    },
  );

  it("--warmup runs each tool once first and leaves it out of results and the comparison", async () => {
    const dir = await tmp();
    const file = await scenario(
      dir,
      `name: tools-warmup
dataset: { size: 4MB, seed: 5 }
tools: [tar-zstd]
steps:
  - backup: full
  - fault: { delete-path: { path: . } }
  - restore: latest
  - verify: [files]
repeat: 2
`,
    );
    const out = join(dir, "run");
    const r = await drdrill(["run", file, "--warmup", "--out", out]);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.all).toContain("(warm-up, not counted)");
    const results = await readJson(join(out, "results.json"));
    expect(results.summary.runs).toBe(2);
    expect(results.warmups).toEqual([
      {
        index: 100_000,
        group: expect.stringMatching(/^tools-warmup :: tar-zstd\b/),
        outcome: "recovered",
        reason: expect.any(String),
      },
    ]);
    expect(results.comparison.scenarios[0].groups[0].runs).toBe(2);
    expect(await readdir(join(out, "logs"))).toEqual(["run-001", "run-002", "run-100001"]);
    expect(await readFile(join(out, "report.md"), "utf8")).toMatch(
      /Warm-up runs, not counted: tools-warmup :: tar-zstd[^:]*: recovered \(logs\/run-100001\)/,
    );
  });
});

// ---- adapters on their own ----

async function session(
  tool: string,
  settings: Record<string, unknown>,
  root: string,
  passphrase = MARKER,
): Promise<ToolSession> {
  const adapter = TOOLS[tool]!;
  for (const d of ["repo", "work", "logs"]) await mkdir(join(root, d), { recursive: true });
  return adapter.open(adapter.settings.parse(settings), {
    exec: new LocalExecutor(join(root, "logs"), new SecretStore()),
    repoDir: join(root, "repo"),
    workDir: join(root, "work"),
    scenarioDir: root,
    putFile: () => Promise.reject(new Error("no tool here puts files")),
    passphrase: () => passphrase,
    timeoutMs: 120_000,
  });
}

async function source(root: string): Promise<string> {
  const src = join(root, "src");
  await generateDataset(src, 2_000_000, 7);
  await writeFile(join(src, "marker.txt"), "v1\n");
  return src;
}

describe("adapters on their own", () => {
  for (const [tool, settings] of [
    ["restic", {}],
    ["borg", { compression: "zstd" }],
    ["tar-zstd", {}],
    ["cp", {}],
    ["duplicity", { encryption: "none" }],
  ] as const) {
    it(`${tool}: a restore at a time takes the backup before it; latest takes the newest`, async () => {
      const root = await tmp();
      const src = await source(root);
      const s = await session(tool, settings, root);
      await s.init();
      expect((await s.backup("full", src)).exitCode).toBe(0);
      await sleep(50);
      const between = new Date().toISOString();
      // duplicity times its sets to the second: the next one must start in a later second.
      await sleep(tool === "duplicity" ? 1100 : 50);
      await writeFile(join(src, "marker.txt"), "v2\n");
      const second = await s.backup(tool === "cp" ? "full" : "incremental", src);
      expect(second.exitCode, second.message).toBe(0);
      // as the harness does: a path that does not exist yet, in an empty directory made for it
      for (const d of ["at", "first", "latest"]) await mkdir(join(root, d));
      const atRun = await s.restore(join(root, "at", "out"), { at: between });
      expect(atRun.exitCode, atRun.message).toBe(0);
      expect(await readFile(join(root, "at", "out", "marker.txt"), "utf8")).toBe("v1\n");
      await s.restore(join(root, "first", "out"), { at: "backup:1" });
      expect(await readFile(join(root, "first", "out", "marker.txt"), "utf8")).toBe("v1\n");
      expect((await s.restore(join(root, "latest", "out"))).exitCode).toBe(0);
      expect(await readFile(join(root, "latest", "out", "marker.txt"), "utf8")).toBe("v2\n");
    });
  }

  it("restic and borg: a wrong passphrase fails the restore in the tool's words", async () => {
    for (const tool of ["restic", "borg"]) {
      const root = await tmp();
      const src = await source(root);
      const good = await session(tool, {}, root);
      await good.init();
      await good.backup("full", src);
      const bad = await session(tool, {}, root, "not-the-passphrase");
      const run = await bad.restore(join(root, "out", "common"));
      expect(run.failed).toBe(true);
      expect(run.message).toMatch(tool === "restic" ? /wrong password or no key found/ : /^PassphraseWrong: /);
    }
  });

  it("restic: a stale lock left by a killed restic is removed with restic unlock, and the check runs", async () => {
    const root = await tmp();
    const src = await source(root);
    const s = await session("restic", {}, root);
    await s.init();
    await s.backup("full", src);
    // `restic key add` takes the lock and waits for a new password on stdin: kill it there.
    const holder = spawn("restic", ["--repo", join(root, "repo"), "key", "add"], {
      env: { ...process.env, RESTIC_PASSWORD: MARKER },
      stdio: ["pipe", "ignore", "ignore"],
    });
    for (let i = 0; i < 100 && (await readdir(join(root, "repo", "locks")).catch(() => [])).length === 0; i++)
      await sleep(50);
    holder.kill("SIGKILL");
    await new Promise((r) => holder.once("exit", r));
    expect(await readdir(join(root, "repo", "locks"))).toHaveLength(1);
    const check = await s.check(false, src);
    expect(check.exitCode, check.stderr).toBe(0);
    expect(check.label).toBe("restic-check-after-unlock");
    expect(check.message).toMatch(/stale lock removed with restic unlock/);
  });

  it("borg: a lock another host left is broken with borg break-lock, and the backup runs", async () => {
    const root = await tmp();
    const src = await source(root);
    const s = await session("borg", { encryption: "none" }, root);
    await s.init();
    const repo = join(root, "repo");
    await mkdir(join(repo, "lock.exclusive"));
    await writeFile(join(repo, "lock.exclusive", "otherhost@1.12345-0"), "");
    await writeFile(join(repo, "lock.roster"), JSON.stringify({ exclusive: [["otherhost@1", 12345, 0]] }));
    const run = await s.backup("full", src);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.message).toMatch(/lock removed with borg break-lock/);
    expect(run.stats?.sourceFiles).toBeGreaterThan(10);
  });
});
