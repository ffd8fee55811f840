// Each run of a scenario, resolved once, as the command line resolves it: which target (name, URL,
// its definition, its settings: the scenario's, then --target-setting), which site, which tools
// entries (--tool) with their adapters and settings, the store at site B, where the restore points come
// from (its backups, or a scenario source), the data's size (--size), the repeats
// (--repeat), the tool calls' timeout (--timeout), the outcomes that pass. Validation judges these
// runs, the plan expands them, the runner stands them up: nothing is worked out again downstream.
import { formatPath, type InputIssue } from "../model/errors.ts";
import type { Outcome } from "../model/outcome.ts";
import { siteOf, type SiteSettings } from "../site/site-settings.ts";
import type { SourceDef } from "../sources/source.ts";
import type { StoreDef } from "../stores/store.ts";
import type { Target } from "../targets/target.ts";
import type { ToolAdapter } from "../tools/tool.ts";
import { parseDuration, parseSize } from "../util/units.ts";
import type { Registries } from "./registries.ts";
import type { Scenario } from "./schema.ts";
import { expandEntry } from "./sweep-settings.ts";

/** A tool call's bound when neither the scenario nor the command line gives one. */
export const DEFAULT_TIMEOUT_MS = 30 * 60_000;

/** What the command line sets over the scenario. */
export interface Overrides {
  /** --target: a target's name, or a URL whose scheme names it (ssh://user@host:port). */
  target?: string;
  /** --target-setting, per target. */
  targetSettings?: Readonly<Record<string, Record<string, unknown>>>;
  /** --tool: only these tools entries. */
  tools?: readonly string[];
  sizeBytes?: number;
  repeat?: number;
  timeoutMs?: number;
}

export interface ResolvedTarget {
  def: Target;
  name: string;
  /** As given on the command line, when it was a URL. */
  url?: string;
  /** Its settings as the run uses them: the scenario's, then the command line's, checked by its schema. */
  settings: Record<string, unknown>;
  /** The settings --target-setting gave (a problem with one is said at the command line). */
  fromCommandLine: readonly string[];
}

export interface ResolvedTool {
  name: string;
  adapter: ToolAdapter;
  settings: Record<string, unknown>;
  /** Its place in the scenario's `tools`. */
  entry: number;
}

/** Where a run's restore points come from: its own backup steps, or a scenario source (an existing repository). */
export type PointSource =
  { kind: "backups" } | { kind: "source"; name: string; def: SourceDef<unknown>; params: unknown };

export interface ResolvedRun {
  target: ResolvedTarget;
  site: SiteSettings | null;
  /** What keeps the backups at site B (`destination.site.store`, else the registry's first); null without a site. */
  store: StoreDef | null;
  tool: ResolvedTool;
  points: PointSource;
  /** The data's size (--size, else dataset.size; a copied tree is what it is). */
  sizeBytes: number;
  /** Runs of this entry (--repeat, else the scenario's). */
  repeats: number;
  /** Every tool call's bound; a scenario's own is written for native hosts and scales with a slow target. */
  timeout: { ms: number; scalesWithTarget: boolean };
  /** The outcomes that pass for this tool: the scenario's expectFor, else its expect. */
  expected: Outcome[];
}

/** The target a name or URL names, or what is wrong with it. */
export function targetNamed(
  given: string,
  reg: Pick<Registries, "targets">,
): { def: Target; name: string; url?: string } | { problem: string } {
  const url = /^[a-z]+:\/\//.test(given) ? given : undefined;
  const name = url ? given.slice(0, given.indexOf(":")) : given;
  const def = reg.targets[name];
  if (!def)
    return {
      problem: `unknown target "${given}" (available: ${Object.keys(reg.targets).join(", ")}, or ssh://user@host:port)`,
    };
  if (!url) return { def, name };
  const why = def.checkUrl ? def.checkUrl(url) : `the ${name} target is not given as a URL`;
  return why ? { problem: why } : { def, name, url };
}

type Locate = (path: (string | number)[]) => { line: number; column: number };

/** The target's settings as the run sees them, or where they are wrong (the file's field, or the command line's). */
function targetSettings(
  target: { def: Target; name: string },
  s: Scenario,
  o: Overrides,
  file: string,
  locate: Locate,
): { settings: Record<string, unknown>; issues: InputIssue[] } {
  const fromFile = (s.targetSettings as Record<string, Record<string, unknown> | undefined> | undefined)?.[target.name];
  const cli = o.targetSettings?.[target.name];
  const merged = { ...fromFile, ...cli };
  const schema = target.def.settings;
  if (!schema) return { settings: merged, issues: [] };
  const parsed = schema.safeParse(merged);
  if (parsed.success) return { settings: parsed.data, issues: [] };
  const issues = parsed.error.issues.map((i): InputIssue => {
    const field = formatPath(i.path);
    const onCli = cli !== undefined && i.path[0] !== undefined && String(i.path[0]) in cli;
    if (onCli)
      return {
        file: "(command line)",
        line: 1,
        column: 1,
        path: `--target-setting ${target.name}.${field}`,
        message: i.message,
      };
    if (!fromFile)
      return { file, line: 1, column: 1, path: `targetSettings.${target.name}.${field} (default)`, message: i.message };
    const at = ["targetSettings", target.name, ...i.path.map((k) => (typeof k === "number" ? k : String(k)))];
    return { file, ...locate(at), path: `targetSettings.${target.name}.${field}`, message: i.message };
  });
  return { settings: merged, issues };
}

/** The tools entry a source implies, its settings completed by the tool's schema. */
function sourceEntry(source: SourceDef<unknown>, params: unknown, reg: Registries): Record<string, unknown> {
  const { name, settings } = source.tool(params);
  // A tool with no passphrase setting takes its defaults (and its rules then say it cannot restore-test).
  const parsed = reg.tools[name]?.settings.safeParse(settings);
  const defaults = reg.tools[name]?.settings.safeParse({});
  return { [name]: parsed?.success ? parsed.data : defaults?.success ? defaults.data : settings };
}

/** The runs of one scenario (one per tools entry the command line keeps), or what stops them. */
export function resolveRuns(
  s: Scenario,
  expected: Outcome[],
  o: Overrides,
  reg: Registries,
  at: { file: string; locate: Locate },
): { runs: ResolvedRun[]; issues: InputIssue[] } {
  const named = targetNamed(o.target ?? s.target ?? "local", reg);
  if ("problem" in named) {
    const where = o.target
      ? { file: "(command line)", line: 1, column: 1, path: "--target" }
      : { file: at.file, ...at.locate(["target"]), path: "target" };
    return { runs: [], issues: [{ ...where, message: named.problem }] };
  }
  const { settings, issues } = targetSettings(named, s, o, at.file, at.locate);
  if (issues.length > 0) return { runs: [], issues };
  const target: ResolvedTarget = {
    ...named,
    settings,
    fromCommandLine: Object.keys(o.targetSettings?.[named.name] ?? {}),
  };
  const scenarioTimeout = s.timeout ? parseDuration(s.timeout) : undefined;
  const timeout =
    o.timeoutMs !== undefined
      ? { ms: o.timeoutMs, scalesWithTarget: false }
      : scenarioTimeout !== undefined
        ? { ms: scenarioTimeout, scalesWithTarget: true }
        : { ms: DEFAULT_TIMEOUT_MS, scalesWithTarget: false };
  const site = siteOf(s.destination);
  const store = site ? (reg.stores[site.store ?? Object.keys(reg.stores)[0]!] ?? null) : null;
  const source = Object.values(reg.sources).find((src) => (s as Record<string, unknown>)[src.name] !== undefined);
  const points: PointSource = source
    ? { kind: "source", name: source.name, def: source, params: (s as Record<string, unknown>)[source.name] }
    : { kind: "backups" };
  if (source && points.kind === "source") {
    const { name } = source.tool(points.params);
    if (!reg.tools[name]) {
      const path = [source.name, "tool"];
      const message = `unknown tool "${name}" (available: ${Object.keys(reg.tools).join(", ")})`;
      return { runs: [], issues: [{ file: at.file, ...at.locate(path), path: path.join("."), message }] };
    }
  }
  const runs: ResolvedRun[] = [];
  // A source names its tool (the one that made its repository): its entry, with the tool's defaults.
  const entries: Record<string, unknown>[] = source
    ? [sourceEntry(source, points.kind === "source" ? points.params : undefined, reg)]
    : s.tools;
  entries.forEach((entry, i) => {
    const [name, toolSettings] = Object.entries(entry)[0] as [string, Record<string, unknown>];
    if (o.tools && o.tools.length > 0 && !o.tools.includes(name)) return;
    const adapter = reg.tools[name];
    if (!adapter) return; // the schema refused it already
    const e = s.expectFor?.[name];
    // One run per combination of the values sweep.settings gives this tool (the schema judged them).
    for (const settings of expandEntry(name, adapter, toolSettings, s.sweep?.settings).settings)
      runs.push({
        target,
        site,
        store,
        tool: { name, adapter, settings, entry: i },
        points,
        sizeBytes: o.sizeBytes ?? parseSize(s.dataset.size) ?? 0,
        repeats: o.repeat ?? s.repeat,
        timeout,
        expected: e === undefined ? expected : Array.isArray(e) ? e : [e],
      });
  });
  return { runs, issues: [] };
}
