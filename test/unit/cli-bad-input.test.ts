// Bad input found before anything runs (issue 24, points 8 and 9), as a user sees it: `drdrill run`
// and `drdrill validate` exit 2, name the file, line and field (or the option), and leave no run
// folder. Each case ran, or failed late, before: a lab scenario run with --target local ended in
// `error` after minutes; copyFrom: /proc copied for minutes; a missing reporter module gave exit 3,
// a stack trace and an empty run folder; a 100 000-deep file said "Maximum call stack size exceeded".
import { mkdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../../harness/cli/main.ts";
import { tmp } from "../helpers/tmp.ts";

const stderr: string[] = [];
beforeAll(() => {
  vi.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => (stderr.push(String(s)), true));
  vi.spyOn(process.stdout, "write").mockImplementation(() => true);
});
afterAll(() => vi.restoreAllMocks());

async function drdrill(...args: string[]): Promise<{ code: number; err: string }> {
  stderr.length = 0;
  const code = await main(args);
  return { code, err: stderr.join("") };
}

const exists = async (p: string) => Boolean(await stat(p).catch(() => null));

const OK =
  "name: ok\ntools: [tar-zstd]\nsteps:\n" +
  "  - backup: full\n  - fault: { delete-path: { path: . } }\n  - restore: latest\n";

async function scenarioFile(text: string, name = "s.yaml"): Promise<{ dir: string; file: string; out: string }> {
  const dir = await tmp();
  const file = join(dir, name);
  await writeFile(file, text);
  return { dir, file, out: join(dir, "run") };
}

describe("validated as the command line resolves it", () => {
  it("a lab replication scenario with --target local: exit 2 at validate and run, nothing run", async () => {
    const v = await drdrill("validate", "scenarios/replication", "--target", "local");
    expect(v.code).toBe(2);
    expect(v.err).toMatch(
      /lab-site-loss\.yaml:\d+:\d+: tools\[0\]: mariadb-replication needs a standby node at site B, which the local/,
    );
    const dir = await tmp();
    const r = await drdrill(
      "run",
      "scenarios/replication/lab-site-loss.yaml",
      "--target",
      "local",
      "--out",
      join(dir, "run"),
    );
    expect(r.code).toBe(2);
    expect(r.err).toContain("nothing was run");
    expect(await exists(join(dir, "run"))).toBe(false);
  });

  it("--tool keeps out the entries it does not name; --size is the size the rules judge", async () => {
    const { file } = await scenarioFile(
      "name: s\ndataset: { size: 4MB }\ntools: [restic, cp]\nsteps:\n  - backup: full\n  - backup: incremental\n" +
        "  - fault: { disk-full: { size: 8MB } }\n  - restore: latest\n",
    );
    const all = await drdrill("validate", file);
    expect(all.code).toBe(2);
    expect(all.err).toMatch(/:6:\d+: steps\[1\]\.backup: cp .*\(tools\[1\]: cp\)/);
    expect(all.err).toMatch(/:7:\d+: steps\[2\]\.fault\.disk-full\.size: a 8\.00 MB file system holds the 4\.00 MB/);
    expect((await drdrill("validate", file, "--tool", "restic", "--size", "16MB")).code).toBe(0);
  });

  it("--target-setting is judged as the file's setting would be, and said at the option", async () => {
    const { file, out } = await scenarioFile(`name: s\ntarget: lab\n${OK.slice(OK.indexOf("tools"))}`);
    expect((await drdrill("validate", file)).code).toBe(0);
    const v = await drdrill("validate", file, "--target-setting", "lab.restoreOnto=site");
    expect(v.code).toBe(2);
    expect(v.err).toContain(
      "(command line):1:1: --target-setting lab.restoreOnto: restoreOnto: site starts the new node in the network " +
        "of a site drdrill stands up: set destination: site (not an existing host)",
    );
    const r = await drdrill("run", file, "--target-setting", "lab.restoreOnto=site", "--out", out);
    expect(r.code).toBe(2);
    expect(await exists(out)).toBe(false);
  });

  it("--repeat out of bounds: exit 2 at the option, at validate and run", async () => {
    const { file, out } = await scenarioFile(OK);
    for (const args of [
      ["validate", file],
      ["run", file, "--out", out],
    ]) {
      const r = await drdrill(...args, "--repeat", "0");
      expect(r.code).toBe(2);
      expect(r.err).toContain('(command line):1:1: --repeat: "0" is not a whole number from 1 to 100');
    }
    expect(await exists(out)).toBe(false);
  });
});

describe("dataset.copyFrom", () => {
  it.each(["/proc", "/sys", "/dev", "/proc/self", "/no/such/folder"])(
    "%s: exit 2 at its line, nothing run",
    async (from) => {
      const { file, out } = await scenarioFile(
        `name: s\ndataset: { copyFrom: ${from} }\n${OK.slice(OK.indexOf("tools"))}`,
      );
      const r = await drdrill("run", file, "--out", out);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(new RegExp(`s\\.yaml:2:\\d+: dataset\\.copyFrom: "${from}": `));
      expect(r.err).toMatch(from.startsWith("/no") ? /no such folder/ : /kernel pseudo file system/);
      expect(await exists(out)).toBe(false);
    },
  );

  it("/ holds /proc: refused too", async () => {
    const { file } = await scenarioFile(`name: s\ndataset: { copyFrom: / }\n${OK.slice(OK.indexOf("tools"))}`);
    const r = await drdrill("validate", file);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/dataset\.copyFrom: "\/": holds .*kernel pseudo file system/);
  });

  it("--out inside the copied tree: exit 2 naming --out, nothing made", async () => {
    const dir = await tmp();
    await mkdir(join(dir, "tree/src"), { recursive: true });
    await writeFile(join(dir, "tree/src/a.c"), "int a;\n");
    const file = join(dir, "s.yaml");
    await writeFile(file, `name: s\ndataset: { copyFrom: ${join(dir, "tree")} }\n${OK.slice(OK.indexOf("tools"))}`);
    const out = join(dir, "tree/runs/one");
    const r = await drdrill("run", file, "--out", out);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /\(command line\):1:1: --out: --out .* is inside .*tree, the tree dataset\.copyFrom of .* copies/,
    );
    expect(await exists(join(dir, "tree/runs"))).toBe(false);
  });
});

describe("--reporter", () => {
  it("a module that is not there: exit 2 naming the option, no run folder", async () => {
    const { file, out } = await scenarioFile(OK);
    const r = await drdrill("run", file, "--reporter", "./missing-reporter.js", "--out", out);
    expect(r.code).toBe(2);
    expect(r.err).toContain("(command line):1:1: --reporter: ./missing-reporter.js: no such file");
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(await exists(out)).toBe(false);
  });

  it("a module that is not a reporter: exit 2, no run folder", async () => {
    const { dir, file, out } = await scenarioFile(OK);
    await writeFile(join(dir, "not-a-reporter.mjs"), "export default 42;\n");
    const r = await drdrill("run", file, "--reporter", join(dir, "not-a-reporter.mjs"), "--out", out);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--reporter: a reporter module could not be loaded: .*not a reporter/);
    expect(await exists(out)).toBe(false);
  });
});

describe("the file itself", () => {
  it("over 1 MB: refused unread", async () => {
    const { file, out } = await scenarioFile(`${OK}description: "${"x".repeat(1_100_000)}"\n`);
    const r = await drdrill("run", file, "--out", out);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/s\.yaml:1:1: is 1100\d+ bytes: a scenario file is at most 1000000 bytes/);
    expect(await exists(out)).toBe(false);
  });

  it("nested 100 000 levels deep: a located error, not a stack overflow", async () => {
    const { file } = await scenarioFile(`${OK}description: ${"[".repeat(100_000)}${"]".repeat(100_000)}\n`);
    const r = await drdrill("validate", file);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/s\.yaml:7:\d+: nested more than 64 levels deep/);
    expect(r.err).not.toContain("Maximum call stack");
  });

  it("non-UTF-8 bytes: refused at their line and column", async () => {
    const dir = await tmp();
    const file = join(dir, "latin1.yaml");
    await writeFile(
      file,
      Buffer.concat([Buffer.from(`${OK}description: caf`), Buffer.from([0xe9]), Buffer.from("\n")]),
    );
    const r = await drdrill("validate", file);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/latin1\.yaml:7:17: byte 0xE9 is not UTF-8 here/);
  });

  it("the same tools entry twice: refused naming both", async () => {
    const { file } = await scenarioFile(OK.replace("[tar-zstd]", "[tar-zstd, tar-zstd]"));
    const r = await drdrill("validate", file);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /s\.yaml:2:\d+: tools\[1\]: tools\[0\] and tools\[1\] are both tar-zstd with the same settings/,
    );
  });

  it('rto: "< 0s" can never hold: refused', async () => {
    const { file } = await scenarioFile(`${OK}objectives: { rto: "< 0s" }\n`);
    const r = await drdrill("validate", file);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/s\.yaml:7:\d+: objectives\.rto: "< 0s" can never hold/);
  });
});
