// `npm run build`: compiles harness/ and reports/ to dist/, one JavaScript file per TypeScript file
// (esbuild, imports rewritten from .ts to .js), copies the files they read beside them at run time
// (the agent, shell scripts, report templates), writes the type declarations of the programmatic
// surface (harness/model/api.ts, with tsc), and stamps dist/ with the fingerprint of its sources.
// Type checking is `npm run typecheck`'s job, not this one's: the build takes seconds, not half a minute.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { sourceStamp, STAMP_FILE } from "../bin/source-stamp.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const started = performance.now();
const stamp = sourceStamp(root);
const dist = join(root, "dist");
// Built beside, then swapped in: a drdrill starting meanwhile sees the old dist/ or the new one.
const next = join(root, `dist.building-${process.pid}`);

function files(dir) {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const rel = `${dir}/${name}`;
    return statSync(join(root, rel)).isDirectory() ? files(rel) : [rel];
  });
}
const all = ["harness", "reports"].flatMap(files);
const sources = all.filter((f) => f.endsWith(".ts"));

/** Every import stays an import: relative ones to the compiled sibling (.ts -> .js), packages as they are. */
const perFile = {
  name: "per-file",
  setup(b) {
    b.onResolve({ filter: /.*/ }, (a) => {
      if (a.kind === "entry-point") return undefined;
      const path = a.path.startsWith(".") ? a.path.replace(/\.ts$/, ".js") : a.path;
      return { path, external: true };
    });
  },
};

try {
  await build({
    entryPoints: sources,
    outdir: next,
    outbase: root,
    absWorkingDir: root,
    bundle: true,
    plugins: [perFile],
    format: "esm",
    platform: "node",
    target: "node20.11",
    logLevel: "warning",
  });
  for (const f of all.filter((f) => !f.endsWith(".ts"))) {
    mkdirSync(join(next, f, ".."), { recursive: true });
    cpSync(join(root, f), join(next, f), { preserveTimestamps: true });
  }
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json"), "--outDir", next], {
    stdio: "inherit",
  });
  writeFileSync(join(next, relative("dist", STAMP_FILE)), `${JSON.stringify({ sources: stamp }, null, 2)}\n`);
  rmSync(dist, { recursive: true, force: true });
  renameSync(next, dist);
} finally {
  rmSync(next, { recursive: true, force: true });
}
const ms = Math.round(performance.now() - started);
process.stderr.write(`build: ${sources.length} modules to dist/ in ${ms} ms\n`);
