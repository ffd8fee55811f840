// The architecture holds: no source file imports from a layer above its own, and no files import
// each other in a circle. Layers, from the bottom: shared model and utilities; execution, journal,
// verification, metrics and objectives; the agent; the images (lab, SSH host, VM), SSH and the packet
// filter; what runs on them (qemu, the secondary site) and what plug-ins share to declare their rules
// and needs (rules/); tools; targets and the stores at site B; faults; steps and scenario sources;
// scenario; runner; compare; reports; command line; entry points.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");

const LAYERS: string[][] = [
  ["harness/model", "harness/util"],
  ["harness/exec", "harness/journal", "harness/verify", "harness/metrics", "harness/objectives"],
  ["harness/agent"],
  ["harness/images", "harness/ssh", "harness/net"],
  ["harness/qemu", "harness/site", "harness/rules"],
  ["harness/tools"],
  ["harness/targets", "harness/stores"],
  ["harness/faults"],
  ["harness/steps", "harness/sources"],
  ["harness/scenario"],
  ["harness/runner"],
  ["harness/compare"],
  ["reports"],
  ["harness/cli"],
  ["bin", "bench"],
];

function layerOf(file: string): number {
  const i = LAYERS.findIndex((folders) => folders.some((f) => file === f || file.startsWith(`${f}/`)));
  if (i < 0) throw new Error(`${file} belongs to no layer: add its folder to LAYERS`);
  return i;
}

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const rel = `${dir}/${name}`;
    if (statSync(join(ROOT, rel)).isDirectory()) out.push(...sources(rel));
    else if (/\.(ts|js|mjs)$/.test(name)) out.push(rel);
  }
  return out;
}

/**
 * The relative module specifiers a source text imports: static imports (bare, multi-line and
 * type-only included), re-exports and dynamic imports, as TypeScript's own scanner finds them
 * (not those in comments or strings).
 */
function relativeImports(text: string): string[] {
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.map((f) => f.fileName)
    .filter((s) => s.startsWith("."));
}

/** Relative imports of a file, resolved to repository paths. */
function importsOf(file: string): string[] {
  const specs = relativeImports(readFileSync(join(ROOT, file), "utf8"));
  return specs.map((s) => relative(ROOT, resolve(ROOT, dirname(file), s)));
}

const files = ["harness", "reports", "bin", "bench"].flatMap(sources).filter((f) => !f.includes("/templates/"));
const graph = new Map(files.map((f) => [f, importsOf(f).filter((t) => files.includes(t))]));

describe("layers", () => {
  it("every source file belongs to a layer", () => {
    for (const f of files) expect(() => layerOf(f)).not.toThrow();
  });

  it("no file imports from a layer above its own", () => {
    const upward: string[] = [];
    for (const [from, tos] of graph) {
      for (const to of tos) if (layerOf(to) > layerOf(from)) upward.push(`${from} -> ${to}`);
    }
    expect(upward).toEqual([]);
  });

  it("no import circles", () => {
    // Tarjan's strongly connected components: any component of two or more files is a circle.
    let index = 0;
    const idx = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const on = new Set<string>();
    const circles: string[][] = [];
    const visit = (v: string) => {
      idx.set(v, index);
      low.set(v, index++);
      stack.push(v);
      on.add(v);
      for (const w of graph.get(v) ?? []) {
        if (!idx.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
      }
      if (low.get(v) === idx.get(v)) {
        const comp: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          on.delete(w);
          comp.push(w);
        } while (w !== v);
        if (comp.length > 1) circles.push(comp.sort());
      }
    };
    for (const f of files) if (!idx.has(f)) visit(f);
    expect(circles).toEqual([]);
  });

  it("the check itself sees imports (a file known to import the model does)", () => {
    expect(graph.get("harness/runner/run-drill.ts")).toContain("harness/model/errors.ts");
  });

  it("the check sees every form of import, and none in a comment or a string", () => {
    const text = [
      'import a from "./default.ts";',
      "import {",
      "  b,",
      "  c,",
      '} from "./multi-line.ts";',
      'import type { T } from "./type-only.ts";',
      'import "./bare.ts";',
      "import './bare-single-quoted.ts';",
      "export {",
      "  x,",
      '} from "./re-export.ts";',
      'export * from "./star.ts";',
      'const m = await import("./dynamic.ts");',
      '// import "./commented.ts";',
      '/* import { z } from "./block-comment.ts"; */',
      "const s = 'import \"./in-string.ts\"';",
      'const t = `import "./in-template.ts"`;',
      'import { readFile } from "node:fs";',
    ].join("\n");
    expect(relativeImports(text)).toEqual([
      "./default.ts",
      "./multi-line.ts",
      "./type-only.ts",
      "./bare.ts",
      "./bare-single-quoted.ts",
      "./re-export.ts",
      "./star.ts",
      "./dynamic.ts",
    ]);
  });
});
