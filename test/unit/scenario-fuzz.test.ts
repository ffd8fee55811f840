// A few hundred malformed scenarios, mutated from the bundled ones: each is refused as a user sees it
// (`drdrill validate` exits 2 and names file:line:column), never with a stack trace, never run.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { isMap, isScalar, isSeq, parseDocument, type Document } from "yaml";
import { main } from "../../harness/cli/main.ts";
import { createRng } from "../../harness/util/prng.ts";
import { tmp } from "../helpers/tmp.ts";

const BUNDLED = (function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith(".yaml") ? [join(dir, e.name)] : [],
  );
})("scenarios");

/** Values that are wrong wherever they go in a scenario (each field refuses at least one). */
const POISON: unknown[] = [
  -1,
  0,
  "0ms",
  "99999999h",
  "../../etc",
  "/etc/passwd",
  "",
  "not-a-size",
  { bogus: 1 },
  [],
  [null],
  null,
  true,
  "backup:0",
  1e308,
  "\u0000",
  "😀".repeat(50),
];

type Mutation = (doc: Document, rng: () => number) => string | null;

function pick<T>(xs: T[], rng: () => number): T {
  return xs[Math.floor(rng() * xs.length)]!;
}

/** Every [path, node] of scalars and collections below the top, for picking a place to break. */
function places(doc: Document): (string | number)[][] {
  const out: (string | number)[][] = [];
  const walk = (node: unknown, at: (string | number)[]) => {
    if (isMap(node))
      for (const p of node.items)
        if (isScalar(p.key)) {
          const k = String(p.key.value);
          out.push([...at, k]);
          walk(p.value, [...at, k]);
        }
    if (isSeq(node))
      node.items.forEach((it, i) => {
        out.push([...at, i]);
        walk(it, [...at, i]);
      });
  };
  walk(doc.contents, []);
  return out;
}

const MUTATIONS: [string, Mutation][] = [
  [
    "poison a value",
    (doc, rng) => {
      const at = pick(places(doc), rng);
      doc.setIn(at, pick(POISON, rng));
      return at.join(".");
    },
  ],
  [
    "drop a required field",
    (doc, rng) => {
      const k = pick(["name", "tools", "steps"], rng);
      doc.delete(k);
      return k;
    },
  ],
  [
    "add an unknown field",
    (doc, rng) => {
      const at =
        pick(
          places(doc).filter((p) => isMap(doc.getIn(p, true))),
          rng,
        ) ?? [];
      doc.setIn([...at, "surprise"], 1);
      return [...at, "surprise"].join(".");
    },
  ],
  [
    "empty the steps",
    (doc) => {
      doc.set("steps", []);
      return "steps";
    },
  ],
  [
    "an unknown step",
    (doc) => {
      doc.addIn(["steps"], { reboot: "now" });
      return "steps";
    },
  ],
  [
    "an unknown fault",
    (doc) => {
      doc.addIn(["steps"], { fault: { meteor: {} } });
      return "steps";
    },
  ],
  [
    "an escaping fault path",
    (doc, rng) => {
      doc.addIn(["steps"], { fault: { "delete-path": { path: pick(["../x", "/", "a/../../b"], rng) } } });
      return "steps";
    },
  ],
  [
    "a tool that cannot",
    (doc) => {
      doc.set("tools", ["cp"]);
      doc.addIn(["steps"], { backup: "incremental" });
      return "tools";
    },
  ],
  [
    "a restore point that is not",
    (doc, rng) => {
      doc.addIn(["steps"], { restore: { at: pick(["yesterday", "backup:999", "2026-13-45"], rng) } });
      return "steps";
    },
  ],
  [
    "a schedule that never ends",
    (doc) => {
      doc.addIn(["steps"], { schedule: { for: "1s", every: "0ms" } });
      return "steps";
    },
  ],
];

const YAML_BREAKS: [string, (text: string) => string][] = [
  ["broken indentation", (t) => t.replace(/\n {2}- /, "\n - ")],
  ["an unclosed flow", (t) => `${t}\nobjectives: { rto: "< 1m"\n`],
  ["a tab", (t) => t.replace("\n  - ", "\n\t- ")],
  [
    "an alias bomb",
    () =>
      `name: bomb\na: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c ` +
      `[*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: ` +
      `[*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n`,
  ],
  ["a bare list", () => "- backup: full\n- restore: latest\n"],
  ["a duplicate key", (t) => t.replace(/^name: .*$/m, (m) => `${m}\n${m}`)],
];

let dir: string;
const stderr: string[] = [];
beforeAll(async () => {
  dir = await tmp();
  vi.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => (stderr.push(String(s)), true));
  vi.spyOn(process.stdout, "write").mockImplementation(() => true);
});
afterAll(() => vi.restoreAllMocks());

async function validate(name: string, text: string): Promise<{ code: number; err: string }> {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  stderr.length = 0;
  const code = await main(["validate", file]);
  return { code, err: stderr.join("") };
}

describe("fuzzed scenarios", () => {
  it("several hundred mutants of the bundled scenarios: exit 2, located, no stack trace", async () => {
    const rng = createRng("scenario-fuzz");
    let n = 0;
    let refused = 0;
    const bad: string[] = [];
    for (let round = 0; round < 25; round++) {
      for (const file of BUNDLED) {
        const text = readFileSync(file, "utf8");
        const [what, mutate] = pick(MUTATIONS, rng);
        const doc = parseDocument(text);
        const where = mutate(doc, rng);
        const mutant = `# ${file}: ${what} at ${where}\n${doc.toString()}`;
        const { code, err } = await validate(`m${n++}`, mutant);
        // A poisoned value may land where it is still valid (a description, say): that file simply passes.
        if (code === 0) continue;
        refused++;
        const located = err.split("\n").some((l) => /^\S+\.yaml:\d+:\d+: /.test(l));
        if (code !== 2 || !located || /\n\s+at .*\(.*:\d+:\d+\)/.test(err) || /Error:/.test(err))
          bad.push(`${what} at ${where} (exit ${code}):\n${err}\n${mutant}`);
      }
    }
    for (const [what, brk] of YAML_BREAKS) {
      const { code, err } = await validate(`y-${what.replace(/\W/g, "-")}`, brk(readFileSync(BUNDLED[0]!, "utf8")));
      n++;
      refused++;
      if (code !== 2 || !/\.yaml:\d+:\d+: /.test(err) || /\n\s+at /.test(err))
        bad.push(`${what} (exit ${code}): ${err}`);
    }
    expect(bad.slice(0, 3)).toEqual([]);
    expect(n).toBeGreaterThan(300);
    expect(refused / n).toBeGreaterThan(0.8);
  }, 120_000);
});
