// A built-in tool's `args:` (issue 25, point 3): the user's flags are taken, and an option drdrill sets
// itself (the repository, the archive, the secrets) is refused before anything runs, at its field.
import { mkdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../../harness/cli/main.ts";
import { refusedArgs, toolArgs } from "../../harness/tools/tool-args.ts";
import { TOOLS } from "../../harness/tools/registry.ts";
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

const scenario = (tool: string, args: string) =>
  `name: args\ntools:\n  - ${tool}:\n      args: ${args}\nsteps:\n  - backup: full\n  - restore: latest\n`;

describe("refusedArgs", () => {
  const refused = [{ names: ["--repo", "-r"], why: "the repository is drdrill's" }];
  const of = (backup: string[], restore: string[] = []) => refusedArgs("t", { backup, restore }, refused);

  it("takes the flags drdrill does not set", () => {
    expect(of(["--tag", "drill", "-v", "--exclude=*.tmp"], ["--verbose"])).toEqual([]);
  });

  it("refuses an option in every form it can take, at its field", () => {
    for (const arg of ["--repo", "--repo=/x", "-r", "-r/x", "-vr"])
      expect(of(["--tag", arg]).map((p) => p.field)).toEqual(["args.backup.1"]);
    expect(of([], ["-v", "-v", "--repo"])[0]!.field).toBe("args.restore.2");
  });

  it("refuses a secret on the command line, and does not repeat it", () => {
    const [p] = of(["--gpg-options", "--passphrase=hunter2"]);
    expect(p!.field).toBe("args.backup.1");
    expect(p!.message).toContain("secret on a command line");
    expect(p!.message).not.toContain("hunter2");
  });

  it("defaults to no flags", () => {
    expect(toolArgs.parse(undefined)).toEqual({ backup: [], restore: [] });
  });

  it("each built-in backup tool takes args", () => {
    for (const name of ["duplicity", "restic", "borg", "tar-zstd"]) {
      const s = TOOLS[name]!.settings.parse({ args: { backup: ["-v"] } }) as { args: unknown };
      expect(s.args).toEqual({ backup: ["-v"], restore: [] });
    }
  });
});

describe("drdrill validate and run: a refused option is exit 2 at file, line and field, nothing run", () => {
  const cases: [string, string, RegExp][] = [
    ["duplicity", "{ backup: [--volsize, '1', file:///elsewhere] }", /:4:40: tools\[0\]\.duplicity\.args\.backup\[2\]/],
    ["duplicity", "{ restore: [--archive-dir=/tmp/x] }", /tools\[0\]\.duplicity\.args\.restore\[0\]: .*--archive-dir/],
    ["duplicity", "{ backup: [--encrypt-key, ABCD] }", /tools\[0\]\.duplicity\.args\.backup\[0\]: .*encryption/],
    ["restic", "{ backup: [--tag, drill, -r, /tmp/other] }", /tools\[0\]\.restic\.args\.backup\[2\]: .*"-r"/],
    ["restic", "{ restore: [--password-file=/k] }", /tools\[0\]\.restic\.args\.restore\[0\]/],
    ["borg", "{ backup: [--comment, x, '/tmp/r::a'] }", /tools\[0\]\.borg\.args\.backup\[2\]: .*repository/],
    ["tar-zstd", "{ backup: [-vf, /tmp/x.tar] }", /tools\[0\]\.tar-zstd\.args\.backup\[0\]: .*"-v"/],
    ["tar-zstd", "{ restore: [--directory=/etc] }", /tools\[0\]\.tar-zstd\.args\.restore\[0\]/],
  ];

  it.each(cases)("%s %s", async (tool, args, expected) => {
    const dir = await tmp("tool-args-");
    const file = join(dir, "s.yaml");
    await writeFile(file, scenario(tool, args));
    const v = await drdrill("validate", file);
    expect(v.code).toBe(2);
    expect(v.err).toMatch(expected);
    const out = join(dir, "run");
    const r = await drdrill("run", file, "--out", out);
    expect(r.code).toBe(2);
    expect(Boolean(await stat(out).catch(() => null))).toBe(false);
  });

  it("flags drdrill does not set pass validation", async () => {
    const dir = await tmp("tool-args-");
    await mkdir(dir, { recursive: true });
    const file = join(dir, "s.yaml");
    await writeFile(file, scenario("restic", "{ backup: [--tag, drill], restore: [--verbose] }"));
    expect((await drdrill("validate", file)).code).toBe(0);
  });
});
