// `drdrill compare BASE NEW`: what got worse between two run folders, as Markdown for a pull request
// (stdout, and --out FILE); the exit code says what kind of thing got worse (model/exit-codes.ts).
import { writeFile } from "node:fs/promises";
import { compareResults } from "../compare/compare-results.ts";
import { DEFAULT_CONFIDENCE, DEFAULT_MIN_EFFECT, type MinEffect } from "../compare/judge.ts";
import { renderComparisonMarkdown } from "../compare/render-markdown.ts";
import { InputError, type InputIssue } from "../model/errors.ts";
import { EFFECT_KINDS, JUDGED_METRICS, type EffectKind, type MetricKey } from "../model/metrics.ts";
import { parseDuration, parseSize } from "../util/units.ts";
import { DEFAULT_MIN_CHANGE, DEFAULT_THRESHOLD } from "./option-defaults.ts";
import { tryReadRunFolder, type RunFolder } from "./run-folder.ts";

export interface CompareCliOptions {
  threshold?: string;
  minChange?: string;
  confidence?: string;
  metrics?: string;
  strict?: boolean;
  requireAll?: boolean;
  out?: string;
}

export { DEFAULT_MIN_CHANGE, DEFAULT_THRESHOLD };

const argIssue = (field: string, message: string): InputIssue => ({
  file: "(command line)",
  line: 1,
  column: 1,
  path: field,
  message,
});

/** "10%" or "10" -> 10 (percent). */
export function parsePercent(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** The names --metrics takes: each judged metric's objective name (rto, rpo, ...) or its key (rtoMs). */
export const GATE_NAMES: Record<string, MetricKey> = Object.fromEntries(
  JUDGED_METRICS.flatMap((m) => [[m.key, m.key], ...(m.objective ? [[m.objective, m.key]] : [])]),
);

/** What a value of --threshold or --min-change is for a kind, and how it is read. */
interface KindValue {
  what(kind: EffectKind): string;
  parse(kind: EffectKind, text: string): number | undefined;
}

const PERCENT: KindValue = { what: () => "percentage (e.g. 10%)", parse: (_k, v) => parsePercent(v) };
const AMOUNT: KindValue = {
  what: (k) => (k === "time" || k === "rate" ? "duration (e.g. 1s)" : "size (e.g. 1MB)"),
  parse: (k, v) => (k === "time" || k === "rate" ? parseDuration(v) : parseSize(v)),
};

/** A per-kind list, "V" or "kind=V,kind=V" (a bare V sets the `bare` kinds); or the words of what is wrong. */
function perKind(
  text: string,
  bare: readonly EffectKind[],
  as: KindValue,
): Partial<Record<EffectKind, number>> | string {
  const out: Partial<Record<EffectKind, number>> = {};
  for (const part of text
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([a-z]+)\s*=\s*(.+)$/.exec(part);
    if (m && !EFFECT_KINDS.includes(m[1] as EffectKind))
      return `"${m[1]}" is not a kind of metric (${EFFECT_KINDS.join(", ")})`;
    for (const k of m ? [m[1] as EffectKind] : bare) {
      const v = as.parse(k, m ? m[2]! : part);
      if (v === undefined) return `"${part}" is not a ${as.what(k)}`;
      out[k] = v;
    }
  }
  return out;
}

/** --threshold and --min-change over the defaults, kind by kind. */
function minEffects(o: CompareCliOptions, issues: InputIssue[]): Record<EffectKind, MinEffect> {
  const pcts = perKind(o.threshold ?? DEFAULT_THRESHOLD, EFFECT_KINDS, PERCENT);
  if (typeof pcts === "string") issues.push(argIssue("--threshold", pcts));
  const abs = perKind(o.minChange ?? DEFAULT_MIN_CHANGE, ["time", "rate"], AMOUNT);
  if (typeof abs === "string") issues.push(argIssue("--min-change", abs));
  const given = (x: typeof pcts) => (typeof x === "string" ? {} : x);
  return Object.fromEntries(
    EFFECT_KINDS.map((k) => [
      k,
      { pct: given(pcts)[k] ?? DEFAULT_MIN_EFFECT[k].pct, abs: given(abs)[k] ?? DEFAULT_MIN_EFFECT[k].abs },
    ]),
  ) as Record<EffectKind, MinEffect>;
}

function gatedMetrics(text: string | undefined, issues: InputIssue[]): MetricKey[] | undefined {
  if (text === undefined) return undefined;
  const names = text
    .split(",")
    .map((n) => n.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !GATE_NAMES[n]);
  if (unknown.length > 0 || names.length === 0)
    issues.push(
      argIssue(
        "--metrics",
        `${unknown.length > 0 ? `unknown: ${unknown.join(", ")}` : "empty"}; the metrics compare judges: ` +
          JUDGED_METRICS.map((m) => m.objective ?? m.key).join(", "),
      ),
    );
  return [...new Set(names.flatMap((n) => (GATE_NAMES[n] ? [GATE_NAMES[n]] : [])))];
}

export async function compareCommand(
  baseDir: string,
  newDir: string,
  o: CompareCliOptions,
  write: (s: string) => void = (s) => process.stdout.write(s),
): Promise<number> {
  const issues: InputIssue[] = [];
  const minEffect = minEffects(o, issues);
  const confidencePct = parsePercent(o.confidence ?? `${DEFAULT_CONFIDENCE * 100}%`);
  if (confidencePct === undefined || confidencePct < 50 || confidencePct >= 100)
    issues.push(argIssue("--confidence", `"${o.confidence}" is not a confidence from 50% to below 100% (e.g. 99%)`));
  const gated = gatedMetrics(o.metrics, issues);
  const folders = await Promise.all([baseDir, newDir].map(tryReadRunFolder));
  for (const f of folders) if (!("results" in f)) issues.push(f);
  if (issues.length > 0) throw new InputError(issues);
  const [base, next] = folders as RunFolder[];
  const comparison = compareResults(base!.results, next!.results, {
    minEffect,
    confidence: confidencePct! / 100,
    strict: Boolean(o.strict),
    ...(gated ? { gated } : {}),
    requireAll: Boolean(o.requireAll),
  });
  const text = renderComparisonMarkdown(comparison, { base: `${baseDir}`, next: `${newDir}` });
  write(text);
  if (o.out) await writeFile(o.out, text);
  return comparison.exitCode;
}
