// The regression gate with real drills (tar-zstd on 2 MB, 5 runs a side): two identical runs compare
// as exit 0 with every metric within noise; a restore 3 s slower (a zstd on PATH that sleeps before it
// decompresses) flags restore time, restore rate and RTO and nothing else, exit 5, through the CI gate
// script with its baseline; single runs claim no timing regression and say why; unrelated runs are
// exit 2; and `drdrill run` exits 0, 1, 2, 3 and 4 as the exit-code table says.
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drdrill, readJson, ROOT } from "../helpers/cli.ts";

const scenario = (name: string, more = "") => `name: ${name}
dataset: { size: 2MB, seed: 7 }
tools: [tar-zstd]
steps:
  - backup: full
  - fault: { delete-path: { path: . } }
  - restore: latest
  - verify: [files, services]
${more}`;

let dir: string;
let file: string;
/** A bin folder whose zstd sleeps 3 s before it decompresses (tar-zstd's restore), and only then. */
let slowBin: string;

// One folder for the whole file: the single runs of one test are the base of the next.
afterAll(() => rm(dir, { recursive: true, force: true }));
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "drdrill-gate-"));
  file = join(dir, "gate-drill.yaml");
  await writeFile(file, scenario("gate-drill"));
  slowBin = join(dir, "slow-bin");
  await mkdir(slowBin);
  const zstd = (await execa("sh", ["-c", "command -v zstd"])).stdout.trim();
  await writeFile(join(slowBin, "zstd"), `#!/bin/sh\ncase " $* " in *" -d"*) sleep 3 ;; esac\nexec ${zstd} "$@"\n`);
  await chmod(join(slowBin, "zstd"), 0o755);
});

const slowEnv = () => ({ PATH: `${slowBin}:${process.env.PATH}` });

async function runDrills(out: string, args: string[], env: Record<string, string> = {}) {
  const r = await drdrill(["run", file, "--out", out, ...args], { env });
  expect(r.exitCode, r.all).toBe(0);
  return out;
}

const compare = (a: string, b: string, more: string[] = []) => drdrill(["compare", a, b, ...more]);

describe("drdrill compare on real drills", () => {
  it("identical runs: exit 0, all within noise; a 3 s slower restore: restore and RTO flagged, exit 5", async () => {
    const base = await runDrills(join(dir, "base"), ["--repeat", "5"]);
    const same = await runDrills(join(dir, "same"), ["--repeat", "5"]);
    const r = await compare(base, same, ["--out", join(dir, "same.md")]);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout).toMatch(/^## drdrill compare: ✅ \*\*No regression\*\* \(exit 0\)/);
    const rows = (await readFile(join(dir, "same.md"), "utf8"))
      .split("\n")
      .filter((l) => /^\| (RTO|downtime|backup|restore|repository|peak RSS|CPU)/.test(l));
    expect(rows.length).toBeGreaterThanOrEqual(8);
    for (const row of rows) expect(row, row).toMatch(/≈ within noise|= unchanged/);

    // The CI gate, as the GitHub template runs it: the baseline is the first run, the drills run with
    // a zstd that sleeps 3 s before each restore.
    const job = join(dir, "job");
    await mkdir(job);
    await cp(base, join(job, "baseline"), { recursive: true });
    const summary = join(job, "step-summary.md");
    const gate = await execa("bash", [join(ROOT, "ci/templates/drdrill-gate.sh"), "run"], {
      cwd: job,
      reject: false,
      all: true,
      env: {
        ...slowEnv(),
        DRDRILL: `${process.execPath} ${join(ROOT, "bin/drdrill.js")}`,
        DRDRILL_SCENARIOS: file,
        DRDRILL_RUN_ARGS: "--repeat 5",
        DRDRILL_PROGRESS: "none",
        GITHUB_STEP_SUMMARY: summary,
      },
    });
    expect(gate.exitCode, gate.all).toBe(5);
    const md = await readFile(join(job, "drill-report", "regression.md"), "utf8");
    const flagged = md
      .slice(md.indexOf("### Changes beyond the noise"), md.indexOf("<details>"))
      .split("\n")
      .filter((l) => l.includes("❌ regression"))
      .map((l) => l.split(" | ")[1]);
    expect(flagged.sort()).toEqual(["RTO", "restore rate", "restore time"]);
    expect(await readFile(summary, "utf8")).toMatch(/^# drdrill: ❌ regression against the last good run \(exit 5\)/);
    // and the CLI alone says the same
    expect((await compare(base, join(job, "drill-report"))).exitCode).toBe(5);
  });

  it("single runs: no timing regression claimed even for a 3 s slower restore, and a line says why", async () => {
    const one = await runDrills(join(dir, "one"), []);
    const slow = await runDrills(join(dir, "one-slow"), [], slowEnv());
    const r = await compare(one, slow);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout).toContain("**Times, rates and memory were not judged** for 1 drill (1 vs 1 runs)");
    expect(r.stdout).toMatch(/\| restore time \| [^|]+ \| [^|]+ \| \+[\d.]+% \| · not judged \|/);
    expect(r.stdout).not.toContain("❌");
    const strict = await compare(one, slow, ["--strict"]);
    expect(strict.exitCode, strict.all).toBe(5);
  });

  it("unrelated runs: exit 2, naming what each side holds", async () => {
    const otherFile = join(dir, "other.yaml");
    await writeFile(otherFile, scenario("other-drill"));
    const other = join(dir, "other");
    const r0 = await drdrill(["run", otherFile, "--out", other]);
    expect(r0.exitCode, r0.all).toBe(0);
    const r = await compare(join(dir, "one"), other);
    expect(r.exitCode, r.all).toBe(2);
    expect(r.stdout).toContain("### Nothing in common");
    expect(r.stdout).toContain("- gate-drill · tar-zstd (1 run)");
    expect(r.stdout).toContain("- other-drill · tar-zstd (1 run)");
  });
});

describe("drdrill run's exit codes", () => {
  async function runScenario(name: string, text: string, env: Record<string, string> = {}) {
    const f = join(dir, `${name}.yaml`);
    await writeFile(f, text);
    return drdrill(["run", f, "--out", join(dir, `exit-${name}`)], { env });
  }

  it("1: a drill fails its expectation; 4: only an objective missed", async () => {
    const failed = await runScenario("expect-detected", scenario("expect-detected", "expect: detected"));
    expect(failed.exitCode, failed.all).toBe(1);
    const objective = await runScenario("objective", scenario("objective", 'objectives: { backupTime: "< 1ms" }'));
    expect(objective.exitCode, objective.all).toBe(4);
    const results = await readJson(join(dir, "exit-objective", "results.json"));
    expect(results.exitCode).toBe(4);
    expect(results.results[0].outcome).toBe("recovered");
  });

  it("2: bad input, nothing run; 3: a tool missing from the machine", async () => {
    const bad = await runScenario("bad", scenario("bad", "repeat: lots"));
    expect(bad.exitCode, bad.all).toBe(2);
    // every program of /usr/bin but zstd
    const bin = join(dir, "no-zstd");
    await mkdir(bin);
    for (const name of await readdir("/usr/bin"))
      if (!name.startsWith("zstd")) await symlink(join("/usr/bin", name), join(bin, name));
    const path = [bin, ...process.env.PATH!.split(":").filter((p) => !["/usr/bin", "/bin"].includes(p))].join(":");
    const missing = await runScenario("no-zstd", scenario("no-zstd"), { PATH: path });
    expect(missing.exitCode, missing.all).toBe(3);
    expect(missing.all).toMatch(/zstd/);
  });
});
