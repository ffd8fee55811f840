// `drdrill init` as a user meets it: off a terminal it asks nothing; flags or a terminal's answers make a
// scenario that validates, names the schema shipped in the package, and the CI file; it prints the command
// that runs it; it never overwrites a file, and bad flags write nothing (exit 2).
import { execa } from "execa";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT } from "../helpers/cli.ts";
import { tmp } from "../helpers/tmp.ts";

const BIN = join(ROOT, "bin/drdrill.js");

/** drdrill in `cwd` with stdin open and never written: a question would hang it until the timeout. */
function init(cwd: string, args: string[]) {
  return execa(process.execPath, [BIN, "init", ...args], { cwd, reject: false, stdin: "pipe", timeout: 60_000 });
}

const scenarioOf = (dir: string, name = "dr-drill") => readFileSync(join(dir, "scenarios", `${name}.yaml`), "utf8");

function validate(dir: string, file: string) {
  return execa(process.execPath, [BIN, "validate", file], { cwd: dir, reject: false });
}

/** The schema the file's yaml-language-server line points at, resolved as an editor would. */
function schemaOf(dir: string, text: string): string {
  const ref = /^# yaml-language-server: \$schema=(\S+)$/m.exec(text)![1]!;
  return resolve(join(dir, "scenarios"), ref);
}

describe("drdrill init", () => {
  it("off a terminal, without flags, asks nothing and writes a drill of generated data with restic", async () => {
    const dir = await tmp();
    const r = await init(dir, []);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("wrote scenarios/dr-drill.yaml");
    expect(r.stdout).toMatch(/run it:\n {2}node \S+bin\/drdrill\.js run scenarios\/dr-drill\.yaml$/);
    const text = scenarioOf(dir);
    expect(parse(text)).toMatchObject({ dataset: { size: "50MB" }, tools: [{ restic: {} }], expect: "recovered" });
    expect(schemaOf(dir, text)).toBe(join(ROOT, "scenarios/scenario.schema.json"));
    expect(existsSync(join(dir, ".github"))).toBe(false);
    expect((await validate(dir, "scenarios/dr-drill.yaml")).exitCode).toBe(0);
  });

  it(
    "--data DIR --tool ... --ci github: a copy of that " + "folder, the tools, the GitHub workflow from the template",
    async () => {
      const dir = await tmp();
      mkdirSync(join(dir, "data"));
      const r = await init(dir, ["--data", "data", "--tool", "borg", "tar-zstd", "--ci", "github", "--name", "files"]);
      expect(r.exitCode).toBe(0);
      const s = parse(scenarioOf(dir, "files"));
      expect(s.name).toBe("files");
      expect(s.dataset).toEqual({ copyFrom: join(dir, "data") });
      expect(s.tools.map((t: object) => Object.keys(t)[0])).toEqual(["borg", "tar-zstd"]);
      expect(s.steps.map((t: object) => Object.keys(t)[0])).toEqual(["backup", "load", "fault", "restore", "verify"]);
      expect(readFileSync(join(dir, ".github/workflows/files.yml"), "utf8")).toBe(
        readFileSync(join(ROOT, "ci/templates/github-actions.yml"), "utf8"),
      );
      expect((await validate(dir, "scenarios/files.yaml")).exitCode).toBe(0);
    },
  );

  it("--data user@host:/path: the ssh target on that host's data directory, with its warning", async () => {
    const dir = await tmp();
    const r = await init(dir, ["--data", "backup@db1:/srv/data/", "--tool", "restic"]);
    expect(r.exitCode).toBe(0);
    const text = scenarioOf(dir);
    expect(parse(text)).toMatchObject({
      target: "ssh",
      targetSettings: { ssh: { host: "db1", user: "backup", dataDir: "/srv/data" } },
    });
    expect(parse(text).dataset).toBeUndefined();
    expect(text).toMatch(/REALLY DELETES IT AND RESTORES IT/);
    expect(r.stdout).not.toMatch(/not on this machine/);
    expect((await validate(dir, "scenarios/dr-drill.yaml")).exitCode).toBe(0);
  });

  it("gitlab: .gitlab-ci.yml when the project has none, else a file to include from it", async () => {
    const dir = await tmp();
    expect((await init(dir, ["--ci", "gitlab"])).exitCode).toBe(0);
    expect(readFileSync(join(dir, ".gitlab-ci.yml"), "utf8")).toBe(
      readFileSync(join(ROOT, "ci/templates/gitlab-ci.yml"), "utf8"),
    );
    const r = await init(dir, ["--ci", "gitlab", "--name", "second"]);
    expect(r.exitCode).toBe(0);
    expect(existsSync(join(dir, ".gitlab/second.yml"))).toBe(true);
    expect(r.stdout).toContain("include it from .gitlab-ci.yml: include: { local: .gitlab/second.yml }");
  });

  it("never overwrites: an existing scenario or CI file is named, exit 2, and nothing is written", async () => {
    const dir = await tmp();
    mkdirSync(join(dir, ".github/workflows"), { recursive: true });
    writeFileSync(join(dir, ".github/workflows/dr-drill.yml"), "mine\n");
    const r = await init(dir, ["--ci", "github"]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(".github/workflows/dr-drill.yml exists: drdrill init never overwrites a file");
    expect(existsSync(join(dir, "scenarios"))).toBe(false);
    expect(readFileSync(join(dir, ".github/workflows/dr-drill.yml"), "utf8")).toBe("mine\n");
    expect((await init(dir, [])).exitCode).toBe(0);
    const again = await init(dir, ["--tool", "borg"]);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain("scenarios/dr-drill.yaml exists");
    expect(parse(scenarioOf(dir)).tools).toEqual([{ restic: { passphrase: { env: "DRDRILL_PASSPHRASE" } } }]);
  });

  it("bad flags are all named at once, exit 2, nothing written", async () => {
    const dir = await tmp();
    const r = await init(dir, ["--data", "nowhere", "--tool", "zip", "--ci", "jenkins", "--name", "Bad Name"]);
    expect(r.exitCode).toBe(2);
    for (const want of [
      `--data: ${join(dir, "nowhere")} does not exist`,
      '--tool: "zip" is not one of restic, borg, duplicity, tar-zstd',
      '--ci: "jenkins" is not one of github, gitlab, none',
      "--name:",
    ])
      expect(r.stderr).toContain(want);
    expect(existsSync(join(dir, "scenarios"))).toBe(false);
  });

  it("on a terminal asks what the flags did not say, again after a bad answer", async () => {
    const dir = await tmp();
    mkdirSync(join(dir, "data"));
    // `script` gives drdrill a terminal; each answer is typed once its question is on the screen.
    const child = execa("script", ["-qec", `${process.execPath} ${BIN} init --tool tar-zstd`, "/dev/null"], {
      cwd: dir,
      reject: false,
      timeout: 60_000,
    });
    const answers: [RegExp, string][] = [
      [/Data to drill/, "nowhere"],
      [/nowhere does not exist[\s\S]*Data to drill/, "data"],
      [/CI file \(github, gitlab, none\) \[none\]/, "github"],
    ];
    let screen = "";
    child.stdout!.on("data", (b: Buffer) => {
      screen += b.toString();
      if (answers[0] && answers[0][0].test(screen)) {
        child.stdin!.write(`${answers.shift()![1]}\n`);
        screen = "";
      }
    });
    const r = await child;
    expect(r.exitCode).toBe(0);
    expect(answers).toEqual([]);
    expect(r.stdout).not.toMatch(/Backup tool/);
    expect(parse(scenarioOf(dir))).toMatchObject({
      dataset: { copyFrom: join(dir, "data") },
      tools: [{ "tar-zstd": {} }],
    });
    expect(existsSync(join(dir, ".github/workflows/dr-drill.yml"))).toBe(true);
    expect(dirname(schemaOf(dir, scenarioOf(dir)))).toBe(join(ROOT, "scenarios"));
  });
});
