// Loads scenario files: the file checked as bytes (size, UTF-8, depth), YAML parsed with positions,
// validated by the schema, each run resolved as the command line asks (target, tools, size,
// repeats) and judged by its plug-ins' rules; every problem located at file, line and field.
import { readFile, readdir, stat } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { isMap, isNode, isPair, isScalar, LineCounter, parseDocument, visit, type Document } from "yaml";
import type { z } from "zod";
import { parseThreshold, type Threshold } from "../objectives/parse.ts";
import type { Outcome } from "../model/outcome.ts";
import { formatPath, InputError, type InputIssue } from "../model/errors.ts";
import { copyFromProblem } from "./copy-from.ts";
import { REGISTRIES, type Registries } from "./registries.ts";
import { resolveRuns, type Overrides, type ResolvedRun } from "./resolve.ts";
import { checkRules } from "./rules.ts";
import { createScenarioSchema, type Scenario } from "./schema.ts";
import { decodeScenario, MAX_DEPTH, MAX_FILE_BYTES, tooBig, tooDeepAt } from "./yaml-guard.ts";

export interface LoadedScenario {
  file: string;
  /** The file's folder: paths a scenario names for its plug-ins are relative to it. */
  dir: string;
  /** The file's text exactly as read (kept for evidence of what was run). */
  text: string;
  scenario: Scenario;
  thresholds: Threshold[];
  /** The outcomes that pass: the scenario's `expect`, else what its faults declare, else recovered. */
  expected: Outcome[];
  /** Its runs, one per tools entry the command line keeps, resolved once (target, site, tool, size...). */
  runs: ResolvedRun[];
  /** The plug-ins it was read and checked with, which run it too. */
  registries: Registries;
  /** Line and column of a field (or of its nearest ancestor) in the file, for errors found later. */
  locate?: (path: (string | number)[]) => { line: number; column: number };
}

export interface LoadOptions {
  /** The command line's settings over the scenario: the runs are resolved, and judged, with them. */
  overrides?: Overrides;
  registries?: Registries;
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

type ZodIssue = z.ZodError["issues"][number];

/**
 * A union's issues as the one option the value was meant for says them: `destination: { site: ... }`
 * is not "Invalid input" but what is wrong inside `site` (an option whose type does not match at all
 * was not meant). Where no option, or more than one, was meant, the union's own issue stays.
 */
function unwrapUnions(issues: readonly ZodIssue[]): ZodIssue[] {
  return issues.flatMap((i): ZodIssue[] => {
    if (i.code !== "invalid_union" || i.errors.length === 0) return [i];
    const unmeant = (o: ZodIssue) => o.path.length === 0 && (o.code === "invalid_type" || o.code === "invalid_value");
    const meant = i.errors.filter((option) => !option.some(unmeant));
    if (meant.length !== 1) return [i];
    return unwrapUnions(meant[0]!.map((o) => ({ ...o, path: [...i.path, ...o.path] }) as ZodIssue));
  });
}

function zodIssues(file: string, doc: Document, lc: LineCounter, error: z.ZodError): InputIssue[] {
  // A rule judged once per tools entry, holding for each, is said once.
  const out = new Map<string, InputIssue>();
  for (const issue of unwrapUnions(error.issues)) {
    const keys = issue.code === "unrecognized_keys" ? issue.keys : [undefined];
    for (const key of keys) {
      const path = formatPath(key === undefined ? issue.path : [...issue.path, key]);
      const pos = lc.linePos(locate(doc, issue.path, key));
      const message = key === undefined ? issue.message : `unknown field "${key}"`;
      out.set(`${path}: ${message}`, { file, line: pos.line, column: pos.col, path, message });
    }
  }
  return [...out.values()].sort((a, b) => a.line - b.line || a.column - b.column);
}

function expectedOutcomes(s: Scenario, reg: Registries): Outcome[] {
  if (s.expect) return Array.isArray(s.expect) ? s.expect : [s.expect];
  // What each step expects after it: the fault step, each fault's outcomes.
  const faults = s.steps.flatMap((step) =>
    Object.entries(step).flatMap(([kind, params]) => reg.steps[kind]?.expects?.(params) ?? []),
  );
  if (faults.length === 0) return ["recovered"];
  // A fault after which recovery is not expected (a broken archive) decides; otherwise any fault's outcome passes.
  const strict = faults.filter((e) => !e.includes("recovered"));
  if (strict.length > 0) return strict.reduce((acc, e) => acc.filter((o) => e.includes(o)));
  return [...new Set(faults.flat())];
}

/** The YAML document, or the located issues that refuse it. */
function parseYaml(file: string, text: string): { doc: Document; lc: LineCounter; raw: unknown } {
  const lc = new LineCounter();
  if (text.length > MAX_FILE_BYTES) throw new InputError([tooBig(file, text.length)]);
  const deep = tooDeepAt(text);
  if (deep >= 0) {
    // Not parsed: the line counter knows no lines yet.
    const before = text.slice(0, deep);
    const line = before.split("\n").length;
    const column = deep - before.lastIndexOf("\n");
    throw new InputError([
      { file, line, column, path: "", message: `nested more than ${MAX_DEPTH} levels deep: no scenario is` },
    ]);
  }
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new InputError(
      doc.errors.map((e) => {
        const pos = e.linePos?.[0] ?? lc.linePos(e.pos[0]);
        const said = e.message.split("\n")[0]!;
        const message = /Maximum call stack/.test(said) ? `nested too deep for a scenario (${said})` : said;
        return { file, line: pos.line, column: pos.col, path: "", message };
      }),
    );
  }
  let raw: unknown;
  try {
    // A document whose aliases expand without end (a "billion laughs") is refused, not expanded.
    raw = doc.toJS({ maxAliasCount: MAX_ALIASES }) ?? {};
  } catch (e) {
    const pos = lc.linePos(firstAlias(doc));
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
  return { doc, lc, raw };
}

export function parseScenario(file: string, text: string, opts: LoadOptions = {}): LoadedScenario {
  const reg = opts.registries ?? REGISTRIES;
  const { doc, lc, raw } = parseYaml(file, text);
  const at = (path: (string | number)[]) => {
    const pos = lc.linePos(locate(doc, path));
    return { line: pos.line, column: pos.col };
  };
  const dir = resolve(dirname(file));
  // The runs are resolved and their plug-ins' rules judged as the schema's last check: they are
  // reported together with whatever else is wrong (zod runs it when the rest has no fatal problem).
  let resolved: { runs: ResolvedRun[]; issues: InputIssue[] } = { runs: [], issues: [] };
  // A rule on a value the command line gave is said there, once (not once per tools entry).
  const onCommandLine = new Map<string, InputIssue>();
  const schema = createScenarioSchema(reg).superRefine((scenario, ctx) => {
    const add = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
    // The folder a run would copy must be there, and be data: found out after the drill would be too late.
    const from = scenario.dataset.copyFrom;
    const copyProblem = from !== undefined ? copyFromProblem(from) : null;
    if (copyProblem) add(["dataset", "copyFrom"], `"${from}": ${copyProblem}`);
    const expected = expectedOutcomes(scenario, reg);
    resolved = resolveRuns(scenario, expected, opts.overrides ?? {}, reg, { file, locate: at });
    for (const run of resolved.runs)
      for (const i of checkRules(scenario, run, reg, dir))
        if (i.commandLine)
          onCommandLine.set(`${i.commandLine}: ${i.message}`, {
            file: "(command line)",
            line: 1,
            column: 1,
            path: i.commandLine,
            message: i.message,
          });
        else add(i.path, i.message);
  });
  const result = schema.safeParse(raw);
  // A target's setting is checked by the schema and again as the run resolves it: said once.
  const said = new Set<string>();
  const issues = [
    ...(result.success ? [] : zodIssues(file, doc, lc, result.error)),
    ...resolved.issues,
    ...onCommandLine.values(),
  ].filter((i) => {
    const key = `${i.file}:${i.line}:${i.column}:${i.path}: ${i.message}`;
    return !said.has(key) && Boolean(said.add(key));
  });
  if (!result.success || issues.length > 0) throw new InputError(issues);
  const scenario = result.data;
  const thresholds = Object.entries(scenario.objectives).map(([m, t]) => parseThreshold(m, t as string) as Threshold);
  const expected = expectedOutcomes(scenario, reg);
  return { file, dir, text, scenario, thresholds, expected, runs: resolved.runs, registries: reg, locate: at };
}

const MAX_ALIASES = 1000;

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

/** Reads one file as a scenario's text: refused unread when too big, refused when not UTF-8. */
async function readScenarioText(file: string, shown: string): Promise<string> {
  const st = await stat(file);
  if (st.size > MAX_FILE_BYTES) throw new InputError([tooBig(shown, st.size)]);
  const decoded = decodeScenario(shown, await readFile(file));
  if ("issue" in decoded) throw new InputError([decoded.issue]);
  return decoded.text;
}

/** Loads every scenario; throws one InputError holding the problems of all files together. */
export async function loadScenarios(paths: string[], opts: LoadOptions = {}): Promise<LoadedScenario[]> {
  const files = await findScenarioFiles(paths);
  const issues: InputIssue[] = [];
  const loaded: LoadedScenario[] = [];
  const names = new Map<string, string>();
  for (const file of files) {
    const shown = relative(process.cwd(), file) || file;
    try {
      const s = parseScenario(shown, await readScenarioText(file, shown), opts);
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
