// Hardening as a user (and an attacker) would try it: faults over a tree of traps never touch a byte
// outside, two runs at once do not collide (local and lab, and --jobs), a reused run folder is
// refused, Ctrl-C while the reports are written still leaves every report (saying it was
// interrupted), and a drdrill killed hard leaves nothing running after `drdrill clean`.
import { execa } from "execa";
import { mkdir, readdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { drdrill, journalEvents, readJson, ROOT } from "../helpers/cli.ts";
import { makeOutside, plantWhenSeeded } from "../helpers/plant-traps.ts";
import { tmp } from "../helpers/tmp.ts";

const TRAPS = `name: traps
dataset: { size: 4MB, seed: 3 }
tools: [tar-zstd]
steps:
  - wait: 4s
  - backup: full
  - fault: { mutate-during-backup: { under: ".", files: 3 } }
  - backup: incremental
  - fault: { corrupt-source: { under: ".", files: 20 } }
  - fault: { delete-files: { under: ".", fraction: 0.5 } }
  - fault: { ransomware: { under: ".", fraction: 1 } }
  - fault: { delete-path: { path: . } }
  - fault: { corrupt-archive: {} }
  - fault: { truncate-archive: { volume: 0 } }
  - restore: latest
expect: [detected, recovered]
`;

async function trapDrill(target: "local" | "lab") {
  const dir = await tmp();
  const planted = await makeOutside(dir);
  const file = join(dir, "traps.yaml");
  await writeFile(file, TRAPS);
  const out = join(dir, "run");
  const run = drdrill(["run", file, "--target", target, "--out", out], { timeoutMs: 600_000 });
  await plantWhenSeeded(out, planted);
  const r = await run;
  return { r, planted, results: await readJson(join(out, "results.json")) };
}

/** The mark drdrill leaves in a run folder it took. */
async function markOf(dir: string): Promise<any> {
  return readJson(join(dir, ".drdrill-run"));
}

function effectsOf(run: any, fault: string): any {
  return run.faults.find((f: any) => f.fault === fault)?.effects;
}

describe("faults over a tree of traps", () => {
  for (const target of ["local", "lab"] as const) {
    it(`every fault on ${target}: no byte outside changes, and each says what it refused`, async () => {
      const { r, planted, results } = await trapDrill(target);
      expect(await planted.digest()).toBe(planted.before);
      const run = results.results[0];
      expect(["detected", "recovered"], `${run.outcome}: ${run.reason}\n${r.all}`).toContain(run.outcome);
      const refusedHl = (fault: string) => JSON.stringify(effectsOf(run, fault)?.refused ?? []);
      expect(refusedHl("delete-path")).toMatch(/hl\.dat.*hard-linked/);
      expect(refusedHl("ransomware") + refusedHl("delete-files") + refusedHl("corrupt-source")).toMatch(/hl\.dat/);
      for (const f of ["ransomware", "delete-files", "corrupt-source"])
        expect(effectsOf(run, f).notFollowed, f).toBeGreaterThanOrEqual(3);
      // the archive faults chose real archives, never the link planted among them
      expect(effectsOf(run, "corrupt-archive").volume).toMatch(/-(full|incremental)\.tar\.zst$/);
      expect(effectsOf(run, "mutate-during-backup").files.join(" ")).not.toMatch(/hl\.dat|ld\/|mid\//);
    });
  }

  it("the reported escape: ransomware under a symlinked folder is refused before anything is broken", async () => {
    const t = await tmp();
    const planted = await makeOutside(t);
    const src = join(t, "src");
    await execa("mkdir", ["-p", src]);
    await writeFile(join(src, "a.txt"), "d\n");
    await execa("ln", ["-s", join(planted.outside, "dir"), join(src, "ld")]);
    const file = join(t, "r.yaml");
    await writeFile(
      file,
      `name: r\ndataset: {copyFrom: ${src}}\ntools: [tar-zstd]\nsteps: [{backup: full},{fault: {ransomware: ` +
        `{under: ld, fraction: 1}}},{restore: latest},{verify: [files, services]}]\n`,
    );
    const r = await drdrill(["run", file, "--out", join(t, "o")]);
    expect(r.exitCode).toBe(3);
    const run = (await readJson(join(t, "o", "results.json"))).results[0];
    expect(run.outcome).toBe("error");
    expect(run.reason).toMatch(
      new RegExp(
        String.raw`ransomware \(under\): "ld" is a symlink, not a folder of the data directory; not ` +
          String.raw`followed; refused before the drill`,
      ),
    );
    expect(await planted.digest()).toBe(planted.before);
  });
});

describe("runs side by side", () => {
  const SEED = ["run", "scenarios/seed/seed-drill.yaml", "--tool", "tar-zstd", "--size", "3MB"];

  it("two runs started at once without --out get folders of their own and both pass", async () => {
    const [a, b] = await Promise.all([drdrill(SEED), drdrill(SEED)]);
    expect(a.exitCode, a.all).toBe(0);
    expect(b.exitCode, b.all).toBe(0);
    const folder = (r: typeof a) => /report: (.*)\/index\.html/.exec(r.stdout)?.[1];
    expect(folder(a)).toBeTruthy();
    expect(folder(a)).not.toBe(folder(b));
    for (const r of [a, b]) {
      const events = (await readFile(join(folder(r)!, "journal.jsonl"), "utf8"))
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      expect(events.filter((e) => e.type === "invocation-start")).toHaveLength(1);
    }
    // Nothing shared: each data directory (and the load writer's file in it) is its run's own.
    const dataDirs = await Promise.all(
      [a, b].map(async (r) => (await readJson(join(folder(r)!, "results.json"))).environment.target.dataDir),
    );
    expect(dataDirs[0]).toContain(folder(a));
    expect(dataDirs[1]).toContain(folder(b));
  });

  it("two lab drills started at once: each its own container, folders and load writer, and both pass", async () => {
    const lab = ["run", "scenarios/seed/seed-drill.yaml", "--target", "lab", "--tool", "tar-zstd", "--size", "3MB"];
    const dir = await tmp();
    const [a, b] = await Promise.all(
      ["a", "b"].map((n) => drdrill([...lab, "--out", join(dir, n)], { timeoutMs: 600_000 })),
    );
    expect(a!.exitCode, a!.all).toBe(0);
    expect(b!.exitCode, b!.all).toBe(0);
    const [ra, rb] = await Promise.all(["a", "b"].map((n) => readJson(join(dir, n, "results.json"))));
    expect(ra.environment.target.container).toBeTruthy();
    expect(ra.environment.target.container).not.toBe(rb.environment.target.container);
    for (const [r, n] of [
      [ra, "a"],
      [rb, "b"],
    ] as const) {
      // the data directory each container mounts lies in its own run folder
      expect(r.environment.target.dataDir).toContain(join(dir, n));
      // the load writer wrote to this run's database: the writes lost are counted, not unknown
      const rp = r.results[0].recoveryPoint;
      expect(rp.newestWriteAtDisaster, JSON.stringify(rp)).not.toBeNull();
      expect(rp.writesLost).toBe(rp.newestWriteAtDisaster.seq - rp.newestWriteSurviving.seq);
    }
    // and the containers are gone
    const left = await execa("docker", ["ps", "-a", "--format", "{{.Names}}"]);
    expect(left.stdout.split("\n")).not.toContain(ra.environment.target.container);
    expect(left.stdout.split("\n")).not.toContain(rb.environment.target.container);
  });

  it("--jobs 2 on the local target: the runs overlap, each in its own folder, and all pass", async () => {
    const out = join(await tmp(), "jobs");
    const r = await drdrill([...SEED, "--repeat", "3", "--jobs", "2", "--out", out]);
    expect(r.exitCode, r.all).toBe(0);
    const results = await readJson(join(out, "results.json"));
    expect(results.parallelJobs).toBe(2);
    expect(results.results.map((x: any) => x.outcome)).toEqual(["recovered", "recovered", "recovered"]);
    const events = (await readFile(join(out, "journal.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const at = (type: string, run: number) => events.findIndex((e) => e.type === type && e.run === run);
    expect(at("run-start", 1)).toBeLessThan(at("run-end", 0));
    expect(new Set(events.filter((e) => e.type === "target").map((e) => e.info.dataDir)).size).toBe(3);
    expect(await readFile(join(out, "report.md"), "utf8")).toContain("Up to 2 runs went at once");
  });

  it(
    "two runs at once with the same --out: one is refused (exit 2), the other passes; a finished folder is " +
      "refused unless --replace",
    async () => {
      const out = join(await tmp(), "shared");
      const [a, b] = await Promise.all([drdrill([...SEED, "--out", out]), drdrill([...SEED, "--out", out])]);
      expect([a.exitCode, b.exitCode].sort()).toEqual([0, 2]);
      expect([a, b].find((r) => r.exitCode === 2)!.stderr).toMatch(/--out: .*(just taken by another run|is not empty)/);
      const first = await readJson(join(out, "results.json"));
      expect(await markOf(out)).toMatchObject({ drdrill: "run-folder", runId: first.runId });
      const again = await drdrill([...SEED, "--out", out]);
      expect(again.exitCode).toBe(2);
      expect(again.stderr).toMatch(/is not empty \(a finished run\?\).*--replace/);
      // Two --replace at once: one replaces the run, the other is refused; they never destroy each other.
      const [c, d] = await Promise.all([0, 1].map(() => drdrill([...SEED, "--out", out, "--replace"])));
      expect([c!.exitCode, d!.exitCode].sort(), c!.all + d!.all).toEqual([0, 2]);
      expect([c, d].find((r) => r!.exitCode === 2)!.stderr).toMatch(
        /--out: .*(just (claimed|taken) by another|is being replaced by drdrill|is in use: its drdrill)/,
      );
      const replaced = await readJson(join(out, "results.json"));
      expect(replaced.runId).not.toBe(first.runId);
      expect(await markOf(out)).toMatchObject({ runId: replaced.runId });
      const events = (await readFile(join(out, "journal.jsonl"), "utf8"))
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      expect(events.filter((e) => e.type === "invocation-start")).toHaveLength(1);
      expect((await readdir(dirname(out))).filter((n) => n !== "shared")).toEqual([]);
    },
  );

  it("--replace refuses a folder drdrill did not mark, holding anything else, or whose drdrill runs", async () => {
    const dir = await tmp();
    // A project folder that happens to hold a results.json (and a journal.jsonl): not a run folder.
    const project = join(dir, "thesis");
    await mkdir(join(project, "src"), { recursive: true });
    for (const [f, text] of [
      ["results.json", "{}"],
      ["journal.jsonl", ""],
      ["thesis.txt", "three years of work\n"],
      ["src/main.c", "int main(void) { return 0; }\n"],
    ])
      await writeFile(join(project, f!), text!);
    const p = await drdrill([...SEED, "--out", project, "--replace"]);
    expect(p.exitCode, p.all).toBe(2);
    expect(p.stderr).toMatch(/--out: .*thesis holds "src", "thesis\.txt", which drdrill did not write/);
    expect((await readdir(project)).sort()).toEqual(["journal.jsonl", "results.json", "src", "thesis.txt"]);
    expect(await readFile(join(project, "thesis.txt"), "utf8")).toBe("three years of work\n");
    // The same folder with drdrill's file names alone, but no mark: refused too.
    await rm(join(project, "src"), { recursive: true });
    await rm(join(project, "thesis.txt"));
    const unmarked = await drdrill([...SEED, "--out", project, "--replace"]);
    expect(unmarked.exitCode, unmarked.all).toBe(2);
    expect(unmarked.stderr).toMatch(/is not marked as a drdrill run folder/);
    expect((await readdir(project)).sort()).toEqual(["journal.jsonl", "results.json"]);

    // A run still going: a --replace of its folder is refused, and the run ends as it would have.
    const file = join(dir, "slow.yaml");
    await writeFile(
      file,
      "name: slow\ndataset: { size: 2MB }\ntools: [tar-zstd]\nsteps:\n  - backup: full\n  - wait: 8s\n" +
        "  - fault: { delete-path: { path: . } }\n  - restore: latest\n",
    );
    const out = join(dir, "running");
    const running = drdrill(["run", file, "--out", out]);
    for (
      let i = 0;
      i < 600 && !(await readFile(join(out, "journal.jsonl"), "utf8").catch(() => "")).includes("backup");
      i++
    )
      await new Promise((r) => setTimeout(r, 100));
    const late = await drdrill(["run", file, "--out", out, "--replace"]);
    expect(late.exitCode, late.all).toBe(2);
    expect(late.stderr).toMatch(/--out: .*running is in use: its drdrill \(pid \d+\) still runs/);
    const r = await running;
    expect(r.exitCode, r.all).toBe(0);
    expect((await readJson(join(out, "results.json"))).results[0].outcome).toBe("recovered");
  });

  it("a dangling symbolic link as --out: exit 2, saying so", async () => {
    const dir = await tmp();
    await symlink(join(dir, "gone", "run"), join(dir, "link"));
    const r = await drdrill([...SEED, "--out", join(dir, "link")]);
    expect(r.exitCode, r.all).toBe(2);
    expect(r.stderr).toMatch(/--out: .*link is a symbolic link to .*gone\/run, which does not exist/);
    expect(r.stderr).not.toMatch(/just taken/);
  });
});

describe("interrupted and killed", () => {
  it("Ctrl-C while the reports are written: every report is there, and says the run was interrupted", async () => {
    const out = join(await tmp(), "run");
    const child = drdrill([
      "run",
      "scenarios/seed/seed-drill.yaml",
      "--tool",
      "tar-zstd",
      "--size",
      "3MB",
      "--out",
      out,
      "--reporter",
      "test/fixtures/reporters/slow.ts",
    ]);
    for (let i = 0; i < 600 && !(await stat(join(out, "slow-reporter-started")).catch(() => null)); i++)
      await new Promise((r) => setTimeout(r, 100));
    child.kill("SIGINT");
    const r = await child;
    expect(r.exitCode).toBe(130);
    const results = await readJson(join(out, "results.json"));
    expect(results).toMatchObject({ exitCode: 130, interrupted: true });
    // the journal ends saying so, with the exit code the run ended with
    const ends = (await journalEvents(out)).filter((e) => ["invocation-end", "interrupted"].includes(e.type));
    expect(ends.map((e) => [e.type, e.during ?? e.exitCode])).toEqual([
      ["interrupted", "reports"],
      ["invocation-end", 130],
    ]);
    for (const f of ["index.html", "report.md", "junit.xml"])
      expect((await stat(join(out, f))).size, f).toBeGreaterThan(0);
  });

  it("a drdrill killed hard: its load writer stops by itself, and drdrill clean unmounts its tmpfs", async () => {
    const dir = await tmp();
    const file = join(dir, "full.yaml");
    await writeFile(
      file,
      "name: killed\ndataset: { size: 4MB }\ntools: [tar-zstd]\nsteps:\n  - backup: full\n  - fault: { " +
        "disk-full: {} }\n  - wait: 60s\n  - restore: latest\n",
    );
    const out = join(dir, "run");
    const child = execa(process.execPath, [join(ROOT, "bin/drdrill.js"), "run", file, "--out", out], {
      cwd: ROOT,
      reject: false,
      env: { DRDRILL_PROGRESS: "lines" },
    });
    const mounted = async () => (await readFile("/proc/mounts", "utf8")).split("\n").some((l) => l.includes(out));
    for (let i = 0; i < 600 && !(await mounted()); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await mounted()).toBe(true);
    const writers = async () =>
      (await execa("pgrep", ["-f", `load-writer\\.[jt]s ${out}`], { reject: false })).stdout.trim();
    expect(await writers()).not.toBe("");
    child.kill("SIGKILL");
    await child;
    for (let i = 0; i < 50 && (await writers()) !== ""; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await writers()).toBe("");
    const clean = await drdrill(["clean"]);
    expect(clean.exitCode).toBe(0);
    expect(clean.stdout).toMatch(/disk-full tmpfs/);
    expect(await mounted()).toBe(false);
  });
});
