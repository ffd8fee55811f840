// Loads scenario files: YAML parsed with positions, validated by the schema, every problem located.
import { readFile, readdir, stat } from "node:fs/promises";
import { join, relative } from "node:path";
import { statSync } from "node:fs";
import { isMap, isNode, isPair, isScalar, LineCounter, parseDocument, visit, type Document } from "yaml";
import type { z } from "zod";
import { FAULTS } from "../faults/registry.ts";
import { parseThreshold, type Threshold } from "../objectives/parse.ts";
import type { Outcome } from "../model/outcome.ts";
import { formatPath, InputError, type InputIssue } from "../model/errors.ts";
import { scenarioSchema, type Scenario } from "./schema.ts";

export interface LoadedScenario {
  file: string;
  /** The file's text exactly as read (kept for evidence of what was run). */
  text: string;
  scenario: Scenario;
  thresholds: Threshold[];
  /** The outcomes that pass: the scenario's `expect`, else what its faults declare, else recovered. */
  expected: Outcome[];
  /** Line and column of a field (or of its nearest ancestor) in the file, for errors found later. */
  locate?: (path: (string | number)[]) => { line: number; column: number };
}

/** Offset of the node at `path`, or of its nearest existing ancestor; for unknown keys, the key itself. */
function locate(doc: Document, path: readonly PropertyKey[], key?: string): number {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as unknown[], true);
    if (!isNode(node)) continue;
    if (key !== undefined && n === path.length && isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
      if (pair && isNode(pair.key) && pair.key.range) return pair.key.range[0];
    }
    if (n < path.length && isMap(node)) {
      // The field is missing or not a node: point at its key if there is one.
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === path[n]);
      if (pair && isNode(pair.key) && pair.key.range) return pair.key.range[0];
    }
    if (node.range) return node.range[0];
  }
  return 0;
}

function zodIssues(file: string, doc: Document, lc: LineCounter, error: z.ZodError): InputIssue[] {
  const out: InputIssue[] = [];
  for (const issue of error.issues) {
    const keys = issue.code === "unrecognized_keys" ? issue.keys : [undefined];
    for (const key of keys) {
      const path = key === undefined ? issue.path : [...issue.path, key];
      const pos = lc.linePos(locate(doc, issue.path, key));
      const message = key === undefined ? issue.message : `unknown field "${key}"`;
      out.push({ file, line: pos.line, column: pos.col, path: formatPath(path), message });
    }
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}

function expectedOutcomes(s: Scenario): Outcome[] {
  if (s.expect) return Array.isArray(s.expect) ? s.expect : [s.expect];
  const faults = s.steps.flatMap((step) => Object.keys(step.fault ?? {})).map((name) => FAULTS[name]!.expect);
  if (faults.length === 0) return ["recovered"];
  // A fault after which recovery is not expected (a broken archive) decides; otherwise any fault's outcome passes.
  const strict = faults.filter((e) => !e.includes("recovered"));
  if (strict.length > 0) return strict.reduce((acc, e) => acc.filter((o) => e.includes(o)));
  return [...new Set(faults.flat())];
}

export function parseScenario(file: string, text: string): LoadedScenario {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new InputError(
      doc.errors.map((e) => {
        const pos = e.linePos?.[0] ?? lc.linePos(e.pos[0]);
        return { file, line: pos.line, column: pos.col, path: "", message: e.message.split("\n")[0]! };
      }),
    );
  }
  let raw: unknown;
  try {
    // A document whose aliases expand without end (a "billion laughs") is refused, not expanded.
    raw = doc.toJS({ maxAliasCount: MAX_ALIASES }) ?? {};
  } catch (e) {
    const at = firstAlias(doc);
    const pos = lc.linePos(at);
    throw new InputError([
      {
        file,
        line: pos.line,
        column: pos.col,
        path: "",
        message: `YAML aliases expand too far (${(e as Error).message.split(".")[0]}); write the values out`,
      },
    ]);
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new InputError([
      {
        file,
        line: 1,
        column: 1,
        path: "",
        message: "a scenario is a mapping (name:, tools:, steps: ...), not a list or a single value",
      },
    ]);
  }
  const result = scenarioSchema.safeParse(raw);
  if (!result.success) throw new InputError(zodIssues(file, doc, lc, result.error));
  const scenario = result.data;
  const at = (path: (string | number)[]) => {
    const pos = lc.linePos(locate(doc, path));
    return { line: pos.line, column: pos.col };
  };
  // The folder a run would copy must be there now: found missing after the drill would be too late.
  const from = scenario.dataset.copyFrom;
  if (from !== undefined) {
    const st = statOrNull(from);
    const problem = !st ? "no such folder" : !st.isDirectory() ? "not a folder (unpack an archive first)" : null;
    if (problem)
      throw new InputError([
        { file, ...at(["dataset", "copyFrom"]), path: "dataset.copyFrom", message: `"${from}": ${problem}` },
      ]);
  }
  const thresholds = Object.entries(scenario.objectives).map(([m, t]) => parseThreshold(m, t as string) as Threshold);
  return { file, text, scenario, thresholds, expected: expectedOutcomes(scenario), locate: at };
}

const MAX_ALIASES = 1000;

function statOrNull(p: string) {
  try {
    return statSync(p);
  } catch {
    return null;
  }
}

/** Offset of the first alias (*name) in the document, for an error about aliases. */
function firstAlias(doc: Document): number {
  let at = 0;
  visit(doc, {
    Alias(_k, node) {
      at = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return at;
}

/** Expands files and directories (recursively, sorted) into scenario file paths. */
export async function findScenarioFiles(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const st = await stat(p).catch(() => null);
    if (!st) {
      throw new InputError([{ file: p, line: 1, column: 1, path: "", message: "no such file or directory" }]);
    }
    if (st.isFile()) out.push(p);
    else {
      const entries = await readdir(p, { recursive: true });
      out.push(
        ...entries
          .filter((e) => /\.ya?ml$/.test(e))
          .sort()
          .map((e) => join(p, e)),
      );
    }
  }
  return out;
}

/** Loads every scenario; throws one InputError holding the problems of all files together. */
export async function loadScenarios(paths: string[]): Promise<LoadedScenario[]> {
  const files = await findScenarioFiles(paths);
  const issues: InputIssue[] = [];
  const loaded: LoadedScenario[] = [];
  const names = new Map<string, string>();
  for (const file of files) {
    const shown = relative(process.cwd(), file) || file;
    try {
      const s = parseScenario(shown, await readFile(file, "utf8"));
      const clash = names.get(s.scenario.name);
      if (clash)
        issues.push({
          file: shown,
          line: 1,
          column: 1,
          path: "name",
          message: `"${s.scenario.name}" is also the name of ${clash}`,
        });
      names.set(s.scenario.name, shown);
      loaded.push(s);
    } catch (e) {
      if (e instanceof InputError) issues.push(...e.issues);
      else throw e;
    }
  }
  if (issues.length > 0) throw new InputError(issues);
  if (loaded.length === 0)
    throw new InputError([
      { file: paths.join(" "), line: 1, column: 1, path: "", message: "no scenario files (*.yaml) found" },
    ]);
  return loaded;
}
