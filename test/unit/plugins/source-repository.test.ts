// The repository source (a restore test of an existing repository): what the loader accepts and
// refuses, where it says so (line and field), the run it resolves (the source's tool in place of
// `tools`), and the checks `drdrill run` makes on this machine before anything runs (exit 2).
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { planRuns } from "../../../harness/runner/plan.ts";
import { parseScenario } from "../../../harness/scenario/load.ts";
import { SOURCES } from "../../../harness/sources/registry.ts";
import { sshRepository } from "../../../harness/sources/repository.ts";
import { drdrill } from "../../helpers/cli.ts";
import { problems } from "../../helpers/rules.ts";
import { tmp } from "../../helpers/tmp.ts";

const repository = (more = "", tool = "restic") =>
  `repository:\n  tool: ${tool}\n  url: /srv/restic\n  passphrase: { env: RESTIC_PASSWORD }\n${more}`;

const test = (repo: string, steps = ["restore: latest", "verify: [files]"], more = "") =>
  `name: t\n${repo}${more}steps:\n${steps.map((s) => `  - ${s}\n`).join("")}`;

describe("repository: a restore test's source", () => {
  it("is accepted without tools: one run of the repository's tool, its passphrase the source's", () => {
    const text = test(repository("  compareWith: /var/snap/microstack/common\n"));
    expect(problems(text)).toEqual([]);
    const [plan] = planRuns([parseScenario("t.yaml", text)]);
    expect(plan!.tool.name).toBe("restic");
    expect(plan!.tool.settings).toMatchObject({ passphrase: { env: "RESTIC_PASSWORD" } });
    expect(plan!.points.kind).toBe("source");
    expect(planRuns([parseScenario("t.yaml", test(repository("", "borg")))])[0]!.tool.name).toBe("borg");
  });

  it("refuses backup, fault, load, schedule and check steps, naming each", () => {
    const steps = [
      "backup: full",
      "load: 1s",
      "fault: { delete-path: { path: . } }",
      "check: light",
      "restore: { at: backup:7 }",
      "verify: [files, services]",
    ];
    const found = problems(test(repository(), steps));
    expect(found).toEqual([
      expect.stringMatching(/^7:steps\[0\]\.backup: a restore test takes no backup/),
      expect.stringMatching(/^8:steps\[1\]\.load: a restore test runs no load writer/),
      expect.stringMatching(/^9:steps\[2\]\.fault: a restore test breaks nothing/),
      expect.stringMatching(/^10:steps\[3\]\.check: a repository check takes a lock/),
      expect.stringMatching(/^12:steps\[5\]\.verify: a restore test checks files; services .* not brought up yet/),
    ]);
  });

  it("refuses tools beside it; without either, tools are required", () => {
    expect(problems(test(repository(), undefined, "tools: [restic]\n"))).toEqual([
      expect.stringMatching(/^6:tools: the tool is repository\.tool's/),
    ]);
    expect(problems("name: t\nsteps:\n  - restore: latest\n")).toEqual([
      expect.stringMatching(/tools: give at least one tools entry \(or a source of restore points: repository\)/),
    ]);
  });

  it("refuses a tool that cannot restore-test, an unknown tool, a relative compareWith, a remote target", () => {
    expect(problems(test(repository("", "tar-zstd")))).toEqual([
      expect.stringMatching(/^3:repository\.tool: tar-zstd cannot restore-test a repository/),
    ]);
    expect(problems(test(repository("", "bacula")))).toEqual([
      expect.stringMatching(/^3:repository\.tool: unknown tool "bacula"/),
    ]);
    expect(problems(test(repository("  compareWith: prod\n")))).toEqual([
      expect.stringMatching(/^6:repository\.compareWith: give production's folder as an absolute path/),
    ]);
    // The lab sees this machine's folders (the repository mounted read only); a remote host does not.
    expect(problems(test(repository("  compareWith: /prod\n")), { overrides: { target: "lab" } })).toEqual([]);
    const ssh = problems(test(repository("  compareWith: /prod\n")), { overrides: { target: "ssh://u@host" } });
    expect(ssh).toContainEqual(
      expect.stringMatching(/repository\.compareWith: .*the local and lab targets only \(not ssh\)/),
    );
    expect(ssh).toContainEqual(expect.stringMatching(/repository\.url: a path is this machine's; on the ssh target/));
  });

  it("ssh: an SSH URL is reached with the key and pinned host keys given, on the local target", () => {
    expect(sshRepository("sftp:backup@site-b:/srv/restic")).toEqual({
      user: "backup",
      host: "site-b",
      path: "/srv/restic",
    });
    expect(sshRepository("sftp://backup@site-b:2222//srv/dup")).toEqual({
      user: "backup",
      host: "site-b",
      port: 2222,
      path: "/srv/dup",
    });
    expect(sshRepository("ssh://backup@site-b/srv/borg")).toEqual({
      user: "backup",
      host: "site-b",
      path: "/srv/borg",
    });
    expect(sshRepository("/srv/restic")).toBeNull();
    const ssh = (url: string) =>
      `repository:\n  tool: restic\n  url: ${url}\n  passphrase: { env: RESTIC_PASSWORD }\n` +
      "  ssh: { identityFile: id_ed25519, knownHostsFile: known_hosts }\n";
    expect(problems(test(ssh("sftp:backup@site-b:/srv/restic")))).toEqual([]);
    expect(problems(test(ssh("/srv/restic")))).toEqual([
      expect.stringMatching(/^4:repository\.url: ssh: needs an SSH URL with a user/),
    ]);
    expect(problems(test(ssh("sftp:backup@site-b:/srv/restic")), { overrides: { target: "lab" } })).toEqual([
      expect.stringMatching(/repository\.ssh: the key and known_hosts files are this machine's: the local target only/),
    ]);
    const def = SOURCES.repository!;
    const params = {
      tool: "restic",
      url: "sftp:backup@site-b:/srv/restic",
      passphrase: { env: "PW" },
      ssh: { identityFile: "keys/id", knownHostsFile: "/etc/kh", port: 2222 },
    };
    expect(def.endpoint!(params, "/scen")).toMatchObject({
      user: "backup",
      host: "site-b",
      port: 2222,
      path: "/srv/restic",
      identityFile: "/scen/keys/id",
      sshCommand: expect.stringMatching(/^ssh -i \/scen\/keys\/id -o UserKnownHostsFile=\/etc\/kh .*-p 2222$/),
    });
    expect(def.preflight!(params, { PW: "x" }, "/nonexistent-scen").map((p) => p.field)).toEqual([
      "ssh.identityFile",
      "ssh.knownHostsFile",
    ]);
  });

  it("checks on this machine: the passphrase's variable set, the local paths exist", async () => {
    const dir = await tmp();
    await mkdir(join(dir, "repo"));
    const def = SOURCES.repository!;
    const params = { tool: "restic", url: "repo", passphrase: { env: "PW" }, compareWith: join(dir, "nope") };
    expect(def.preflight!(params, {}, dir).map((p) => `${p.field}: ${p.message}`)).toEqual([
      expect.stringMatching(/^passphrase\.env: PW is not set/),
      expect.stringMatching(/^compareWith: folder .*nope does not exist/),
    ]);
    expect(def.preflight!({ ...params, compareWith: join(dir, "repo") }, { PW: "x" }, dir)).toEqual([]);
    // A URL the tool opens itself is not looked for here; a missing local path is.
    expect(def.preflight!({ ...params, url: "sftp:backup@site-b:/srv/restic" }, { PW: "x" }, dir)).toEqual([
      expect.objectContaining({ field: "compareWith" }),
    ]);
    expect(def.preflight!({ ...params, url: "gone", compareWith: dir }, { PW: "x" }, dir)).toEqual([
      { field: "url", message: `the repository ${join(dir, "gone")} does not exist` },
    ]);
  });

  it("`drdrill run` with the variable unset: exit 2, file, line and field named, nothing run", async () => {
    const dir = await tmp();
    await mkdir(join(dir, "repo"));
    const file = join(dir, "t.yaml");
    await writeFile(file, test(repository().replace("/srv/restic", join(dir, "repo"))));
    const env = { RESTIC_PASSWORD: "" };
    const r = await drdrill(["run", file, "--out", join(dir, "out")], { env, timeoutMs: 30_000 });
    expect(r.exitCode, r.all).toBe(2);
    expect(r.all).toMatch(/t\.yaml:5:\d+: repository\.passphrase\.env: RESTIC_PASSWORD is not set/);
    expect(r.all).toMatch(/nothing was run/);
  });
});

describe("a restore test's run folder", () => {
  it("is refused inside the repository or production (exit 2, --out named), nothing run", async () => {
    const dir = await tmp();
    await mkdir(join(dir, "repo"));
    const file = join(dir, "t.yaml");
    await writeFile(file, test(repository().replace("/srv/restic", join(dir, "repo"))));
    const env = { RESTIC_PASSWORD: "a-long-enough-passphrase" };
    const r = await drdrill(["run", file, "--out", join(dir, "repo", "run")], { env, timeoutMs: 30_000 });
    expect(r.exitCode, r.all).toBe(2);
    expect(r.all).toMatch(/--out: --out .*repo\/run is inside .*repo, which .*t\.yaml's repository only reads/);
  });
});
