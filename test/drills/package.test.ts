// drdrill as a user installs it: `npm pack` of this checkout (prepare builds dist/ into the tarball), then in
// an empty project outside the repository `npm install <tarball>` from npm's cache (--prefer-offline: the
// registry only for what the cache lacks), `drdrill init --data ./data`, and `drdrill run` of the scenario
// it wrote: the installed copy runs its own dist/ (no sources, no tsx) and recovers. The tarball holds no
// test file. The installed bin is called as node_modules/.bin/drdrill, with none of the variables vitest
// or the test helpers set (DRDRILL_FROM_SOURCE, NODE_OPTIONS, VITEST*, npm run's npm_*), as from a user's shell.
import { execa } from "execa";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, readJson } from "../helpers/cli.ts";
import { tmp } from "../helpers/tmp.ts";

/**
 * The environment of a user's shell: this one without what vitest, `npm test` and the helpers add. npm's
 * own settings (npm_config_*: a registry mirror, a proxy, the cache) stay, but for the prefix of the
 * project `npm test` ran in.
 */
function userEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    const npmScript = /^npm_/i.test(k) && (!/^npm_config_/i.test(k) || /^npm_config_local_prefix$/i.test(k));
    if (v !== undefined && !npmScript && !/^(VITEST|NODE_OPTIONS$|NODE_ENV$|DRDRILL_|TSX_)/.test(k)) env[k] = v;
  }
  return env;
}

describe("the packed package, installed in a project of its own", () => {
  it("npm install <tarball>, then drdrill init and drdrill run of what it wrote: recovered", async () => {
    const env = userEnv();
    const packed = await tmp("drdrill-pack-");
    const pack = await execa("npm", ["pack", "--json", "--pack-destination", packed], {
      cwd: ROOT,
      env,
      extendEnv: false,
    });
    const [info] = JSON.parse(pack.stdout) as [{ filename: string; files: { path: string }[] }];
    const files = info.files.map((f) => f.path);
    expect(files).toContain("dist/harness/cli/main.js");
    expect(files).toContain("scenarios/scenario.schema.json");
    expect(files).toContain("ci/templates/drdrill-gate.sh");
    expect(files).toContain("action.yml"); // uses: ./node_modules/drdrill
    expect(files.filter((f) => /(^|\/)test\/|\.test\.[jt]s$|(^|\/)bench\//.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);

    const project = await tmp("drdrill-user-");
    writeFileSync(join(project, "package.json"), '{ "name": "my-dr", "private": true }\n');
    const install = await execa(
      "npm",
      [
        "install",
        "--save-dev",
        "--prefer-offline",
        "--no-audit",
        "--no-fund",
        "--ignore-scripts",
        "--loglevel=error",
        join(packed, info.filename),
      ],
      { cwd: project, env, extendEnv: false, reject: false, all: true, timeout: 150_000 },
    );
    expect(install.exitCode, install.all).toBe(0);
    const installed = join(project, "node_modules/drdrill");
    expect(existsSync(join(installed, "harness"))).toBe(false); // compiled only: what runs is dist/
    expect(existsSync(join(project, "node_modules/tsx"))).toBe(false); // a development dependency only

    mkdirSync(join(project, "data/db"), { recursive: true });
    writeFileSync(join(project, "data/db/rows.txt"), "one\ntwo\nthree\n".repeat(2000));
    writeFileSync(join(project, "data/settings.conf"), "retention = 7d\n");
    const drdrill = (args: string[]) =>
      execa(join(project, "node_modules/.bin/drdrill"), args, {
        cwd: project,
        env: { ...env, DRDRILL_PROGRESS: "lines" },
        extendEnv: false,
        reject: false,
        all: true,
        stdin: "ignore",
        timeout: 120_000,
      });
    expect((await drdrill(["--version"])).stdout.trim()).toBe((await readJson(join(ROOT, "package.json"))).version);
    const init = await drdrill(["init", "--data", "./data", "--tool", "tar-zstd"]);
    expect(init.exitCode, init.all).toBe(0);
    expect(init.stdout).toContain("npx drdrill run scenarios/dr-drill.yaml");

    const run = await drdrill(["run", "scenarios/dr-drill.yaml", "--out", "run"]);
    expect(run.exitCode, run.all).toBe(0);
    const results = await readJson(join(project, "run/results.json"));
    expect(results.results.map((r: any) => [r.tool, r.outcome, r.passed])).toEqual([["tar-zstd", "recovered", true]]);
    expect(existsSync(join(project, "run/report.md"))).toBe(true);
  }, 240_000);
});
