// The reference in docs/ keeps up with the code: every scenario field, step, tool, target and fault the
// schema knows is written in its page, and every path and link README.md and docs/ name exists.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { FAULTS } from "../../harness/faults/registry.ts";
import { scenarioJsonSchema } from "../../harness/scenario/schema.ts";
import { ROOT } from "../helpers/cli.ts";

type Schema = Record<string, any>;

const DOCS = join(ROOT, "docs");
const page = (name: string): string => readFileSync(join(DOCS, name), "utf8");
const MARKDOWN = ["README.md", ...readdirSync(DOCS).flatMap((f) => (f.endsWith(".md") ? [`docs/${f}`] : []))];

/** The text of every code span and code block of a Markdown text. */
export function codeSpans(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/^```[^\n]*\n([\s\S]*?)^```/gm)].map((m) => m[1]!);
  const prose = markdown.replace(/^```[^\n]*\n[\s\S]*?^```/gm, "");
  return [...blocks, ...[...prose.matchAll(/`([^`]+)`/g)].map((m) => m[1]!)];
}

/** The words written in code in a Markdown text: `restore: {at: backup:N}` gives restore, at, backup, N. */
export function codeWords(markdown: string): Set<string> {
  return new Set(codeSpans(markdown).flatMap((s) => s.split(/[^\w$-]+/).filter(Boolean)));
}

/** Every property name under a JSON Schema node, at any depth (through unions, arrays and records). */
export function fieldNames(node: Schema | undefined): string[] {
  if (!node || typeof node !== "object") return [];
  const own = Object.keys(node.properties ?? {});
  const named: string[] = node.propertyNames?.enum ?? [];
  const children = [
    ...Object.values(node.properties ?? {}),
    ...(node.anyOf ?? []),
    ...(node.oneOf ?? []),
    ...(node.allOf ?? []),
    node.items,
    typeof node.additionalProperties === "object" ? node.additionalProperties : undefined,
  ] as (Schema | undefined)[];
  return [...new Set([...own, ...named, ...children.flatMap((c) => fieldNames(c))])];
}

/** The names not written in code anywhere in the text. */
const missing = (markdown: string, names: string[]): string[] => {
  const words = codeWords(markdown);
  return names.filter((n) => !words.has(n));
};

/** The names not written in code on one line together with `key` (a table row: a fault and its parameters). */
const missingBeside = (markdown: string, key: string, names: string[]): string[] => {
  const lines = markdown.split("\n").filter((l) => l.includes(`\`${key}\``));
  if (lines.length === 0) return [key];
  const best = lines.map((l) => missing(l, names)).sort((a, b) => a.length - b.length)[0]!;
  return best;
};

const schema = scenarioJsonSchema() as Schema;
const props = schema.properties as Record<string, Schema>;
const stepKinds = props.steps!.items.properties as Record<string, Schema>;
const faultParams = stepKinds.fault!.properties as Record<string, Schema>;
const tools = props.tools!.items.properties as Record<string, Schema>;
const targets = props.targetSettings!.properties as Record<string, Schema>;

describe("docs/ documents every field the scenario schema knows", () => {
  it("finds the schema's parts (a walk that found nothing would prove nothing)", () => {
    expect(Object.keys(props)).toEqual(expect.arrayContaining(["name", "dataset", "steps", "tools", "objectives"]));
    expect(Object.keys(stepKinds)).toEqual(expect.arrayContaining(["backup", "restore", "fault", "schedule"]));
    expect(Object.keys(faultParams).sort()).toEqual(Object.keys(FAULTS).sort());
    expect(Object.keys(tools)).toEqual(expect.arrayContaining(["duplicity", "restic", "borg"]));
    expect(Object.keys(targets)).toEqual(expect.arrayContaining(["lab", "ssh", "vm"]));
    expect(fieldNames(props.dataset)).toEqual(expect.arrayContaining(["size", "seed", "copyFrom"]));
    expect(fieldNames(stepKinds.restore)).toEqual(expect.arrayContaining(["at", "random", "seed", "within"]));
    expect(fieldNames(props.objectives)).toEqual(expect.arrayContaining(["rto", "rpo", "writesLost"]));
  });

  it("scenarios.md: every top-level field, and those of dataset, sweep and objectives", () => {
    const names = [
      ...Object.keys(props),
      ...fieldNames(props.dataset),
      ...fieldNames(props.sweep),
      ...fieldNames(props.objectives),
      ...(props.require!.items.enum as string[]),
    ];
    expect(missing(page("scenarios.md"), names)).toEqual([]);
  });

  it("steps.md: every kind of step and each one's parameters", () => {
    const names = Object.entries(stepKinds).flatMap(([kind, s]) =>
      kind === "fault" ? [kind] : [kind, ...fieldNames(s)],
    );
    expect(missing(page("steps.md"), names)).toEqual([]);
  });

  it.each(Object.keys(FAULTS))("faults.md: the fault %s, its parameters on its own line", (fault) => {
    const text = page("faults.md");
    expect(missing(text, [fault])).toEqual([]);
    expect(missingBeside(text, fault, fieldNames(faultParams[fault]))).toEqual([]);
  });

  it.each(Object.keys(tools))("tools.md: the tool %s, its settings on its own line", (tool) => {
    expect(missingBeside(page("tools.md"), tool, fieldNames(tools[tool]))).toEqual([]);
  });

  it("targets.md: every target and every target setting", () => {
    const names = [...(props.target!.enum as string[]), ...Object.keys(targets), ...fieldNames(props.targetSettings)];
    expect(missing(page("targets.md"), names)).toEqual([]);
  });

  it("secondary-site.md: every field of destination", () => {
    const names = [...fieldNames(props.destination), ...props.destination!.anyOf[0].enum];
    expect(missing(page("secondary-site.md"), names)).toEqual([]);
  });
});

/** Paths in this repository that are written by a run, not kept in it. */
const GENERATED = [/^bench\/results\//, /^drdrill-runs\//];
/** Markdown files a run writes into its run folder. */
const RUN_FILES = ["report.md", "SUMMARY.md"];
/** The folders at the repository's top, for telling a repository path from another path. */
const TOP = readdirSync(ROOT, { withFileTypes: true })
  .filter((e) => e.isDirectory() && !e.name.startsWith(".") && e.name !== "node_modules")
  .map((e) => e.name);

/** The repository paths a Markdown text names in code: `harness/faults/registry.ts`, `scenarios/seed/`. */
export function repositoryPaths(markdown: string): string[] {
  return codeSpans(markdown)
    .flatMap((s) => s.split(/[\s|,;()`"']+/))
    .map((w) => w.replace(/[.:]+$/, ""))
    .filter((w) => TOP.some((t) => w.startsWith(`${t}/`)))
    .filter((w) => !/[<>*]|NAME|\.\.\./.test(w) && !GENERATED.some((g) => g.test(w)));
}

/** GitHub's anchor for a heading: lowercase, punctuation dropped, spaces to dashes. */
export const anchorOf = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/`/g, "")
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");

const anchorsIn = (markdown: string): Set<string> =>
  new Set(
    markdown
      .replace(/^```[^\n]*\n[\s\S]*?^```/gm, "")
      .split("\n")
      .flatMap((l) => (/^#{1,6} /.test(l) ? [anchorOf(l.replace(/^#+ /, ""))] : [])),
  );

describe.each(MARKDOWN)("%s names only what exists", (file) => {
  const text = readFileSync(join(ROOT, file), "utf8");

  it("every repository path it names in code exists", () => {
    const paths = repositoryPaths(text);
    expect(paths.filter((p) => !existsSync(join(ROOT, p)))).toEqual([]);
  });

  it("every Markdown file it names in prose exists (a run's report.md and SUMMARY.md aside)", () => {
    const prose = text
      .replace(/^```[^\n]*\n[\s\S]*?^```/gm, "")
      .replace(/`[^`]+`/g, "")
      .replace(/\]\([^)]*\)/g, "]");
    const named = [...prose.matchAll(/[\w./-]+\.md\b/g)].map((m) => m[0]);
    const here = dirname(join(ROOT, file));
    const absent = named.filter(
      (n) =>
        !RUN_FILES.includes(n) &&
        !existsSync(join(here, n)) &&
        !existsSync(join(ROOT, n)) &&
        !existsSync(join(DOCS, n)),
    );
    expect(absent).toEqual([]);
  });

  it("every relative link goes to a file that exists, and to a heading it has", () => {
    const prose = text.replace(/^```[^\n]*\n[\s\S]*?^```/gm, "");
    const links = [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/.test(l));
    const broken = links.filter((link) => {
      const [path, anchor] = link.split("#") as [string, string | undefined];
      const target = path ? resolve(dirname(join(ROOT, file)), path) : join(ROOT, file);
      if (!existsSync(target)) return true;
      if (anchor === undefined || !target.endsWith(".md")) return false;
      return !anchorsIn(readFileSync(target, "utf8")).has(anchor);
    });
    expect(broken, `${relative(ROOT, join(ROOT, file))}`).toEqual([]);
  });
});

describe("the README introduces", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  it("starts with the two commands", () => {
    const first = codeSpans(readme)[0]!;
    expect(first).toMatch(/^npm run demo\b/m);
    expect(first).toMatch(/^npm test\b/m);
  });
  it("spells out RTO and RPO, and links every page of docs/", () => {
    expect(readme).toMatch(/RTO\*\* \(recovery time objective\)/);
    expect(readme).toMatch(/RPO\*\* \(recovery point objective\)/);
    const pages = readdirSync(DOCS).filter((f) => f.endsWith(".md") && f !== "README.md");
    const index = page("README.md");
    expect(pages.filter((p) => !index.includes(`](${p})`))).toEqual([]);
  });
});
