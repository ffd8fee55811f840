// bin/drdrill.js picks what to run as a user would see it: dist/ when it was built from the sources
// beside it, the TypeScript sources (through tsx) in a checkout whose dist/ is missing or stale, dist/
// alone in an installed package (no sources), and a clear error when there is neither.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sourceStamp, STAMP_FILE } from "../../bin/source-stamp.js";
import { ROOT } from "../helpers/cli.ts";
import { tmp } from "../helpers/tmp.ts";

const MAIN = (from: string) =>
  `export async function main(argv) { console.log("${from}", argv.join(" ")); return 0; }\n`;

/** A package folder with the real entry point, a main.ts printing "source" and a dist main printing "dist". */
async function layout(): Promise<string> {
  const dir = await tmp("drdrill-entry-");
  mkdirSync(join(dir, "bin"));
  for (const f of ["drdrill.js", "source-stamp.js"]) cpSync(join(ROOT, "bin", f), join(dir, "bin", f));
  writeFileSync(join(dir, "package.json"), '{ "name": "drdrill", "type": "module" }\n');
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  mkdirSync(join(dir, "harness/cli"), { recursive: true });
  writeFileSync(join(dir, "harness/cli/main.ts"), MAIN("source"));
  mkdirSync(join(dir, "dist/harness/cli"), { recursive: true });
  writeFileSync(join(dir, "dist/harness/cli/main.js"), MAIN("dist"));
  return dir;
}

const stampDist = (dir: string) => writeFileSync(join(dir, STAMP_FILE), JSON.stringify({ sources: sourceStamp(dir) }));

function run(dir: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(dir, "bin/drdrill.js"), "a", "b"], {
    encoding: "utf8",
    env: { ...process.env, DRDRILL_FROM_SOURCE: "", ...env },
  });
  return { code: r.status, out: r.stdout.trim(), err: r.stderr.trim() };
}

describe("bin/drdrill.js", () => {
  it("runs dist/ when it was built from the sources beside it, and the sources once one changes", async () => {
    const dir = await layout();
    stampDist(dir);
    expect(run(dir)).toMatchObject({ code: 0, out: "dist a b" });
    expect(run(dir, { DRDRILL_FROM_SOURCE: "1" }).out).toBe("source a b");
    // an edit, even one that keeps the size
    writeFileSync(join(dir, "harness/cli/main.ts"), MAIN("sourcE"));
    expect(run(dir).out).toBe("sourcE a b");
    stampDist(dir);
    expect(run(dir).out).toBe("dist a b");
    // a file added or removed, a touched one
    writeFileSync(join(dir, "harness/cli/new.ts"), "export {};\n");
    expect(run(dir).out).toBe("sourcE a b");
    rmSync(join(dir, "harness/cli/new.ts"));
    expect(run(dir).out).toBe("dist a b");
    utimesSync(join(dir, "harness/cli/main.ts"), new Date(), new Date(Date.now() - 60_000));
    expect(run(dir).out).toBe("sourcE a b");
  });

  it("runs the sources in a checkout that was never built", async () => {
    const dir = await layout();
    rmSync(join(dir, "dist"), { recursive: true });
    expect(run(dir)).toMatchObject({ code: 0, out: "source a b" });
  });

  it("runs dist/ in an installed package (no sources, no stamp), and says so when it was never built", async () => {
    const dir = await layout();
    rmSync(join(dir, "harness"), { recursive: true });
    expect(run(dir)).toMatchObject({ code: 0, out: "dist a b" });
    rmSync(join(dir, "dist"), { recursive: true });
    const r = run(dir);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/dist\/harness\/cli\/main\.js is missing: this copy was never built \(npm run build\)/);
  });
});

/** The modules a drdrill start loads (the sources, through tsx), as paths under the checkout. */
function modulesLoaded(args: string[]): { code: number | null; out: string; modules: string[] } {
  const hook =
    "export async function load(url, ctx, next) " +
    '{ process.stderr.write("LOADED " + url + "\\n"); return next(url, ctx); }';
  const hookUrl = `data:text/javascript,${encodeURIComponent(hook)}`;
  const register = `import { register } from "node:module"; register(${JSON.stringify(hookUrl)});`;
  const r = spawnSync(
    process.execPath,
    ["--import", `data:text/javascript,${encodeURIComponent(register)}`, join(ROOT, "bin/drdrill.js"), ...args],
    { encoding: "utf8", env: { ...process.env, DRDRILL_FROM_SOURCE: "1" } },
  );
  const modules = [...r.stderr.matchAll(/^LOADED file:\/\/(.*)$/gm)].map((m) => m[1]!);
  return { code: r.status, out: r.stdout, modules };
}

describe("start time", () => {
  // issue 28, "Start fast": --version and --help load commander and the command line's own few modules, not
  // one command's module, registry, reporter or heavy package (execa, zod, yaml, handlebars, testcontainers).
  it.each(["--version", "--help", "run --help", "lab --help", "vm start --help"])(
    "drdrill %s loads no command's module",
    (line) => {
      const args = line.split(" ");
      const r = modulesLoaded(args);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(args[0] === "--version" ? /^\d+\.\d+\.\d+/ : /^Usage: drdrill/);
      const ours = r.modules.filter((m) => !m.includes("/node_modules/")).map((m) => m.replace(ROOT, ""));
      expect(ours.sort()).toEqual([
        "bin/drdrill.js",
        "bin/source-stamp.js",
        "harness/cli/lab.ts",
        "harness/cli/main.ts",
        "harness/cli/option-defaults.ts",
        "harness/cli/vm.ts",
        "harness/model/errors.ts",
        "harness/model/exit-codes.ts",
        "harness/util/package-root.ts",
      ]);
      const packages = new Set(
        r.modules.map((m) => /\/node_modules\/((@[^/]+\/)?[^/]+)\//.exec(m)?.[1]).filter(Boolean),
      );
      expect([...packages].sort()).toEqual(["commander", "esbuild", "tsx"]);
    },
  );
});
