// `drdrill compare BASE NEW`: regression between two run folders, as Markdown for a pull request
// (stdout, and --out FILE); exit 1 on a regression, 0 otherwise, 2 for bad input.
import { writeFile } from "node:fs/promises";
import { compareResults } from "../compare/compare-results.ts";
import { renderComparisonMarkdown } from "../compare/render-markdown.ts";
import { EXIT } from "../runner/invocation.ts";
import { InputError, type InputIssue } from "../model/errors.ts";
import { parseDuration } from "../util/units.ts";
import { tryReadRunFolder, type RunFolder } from "./run-folder.ts";

export interface CompareCliOptions {
  threshold?: string;
  minChange?: string;
  out?: string;
}

export const DEFAULT_THRESHOLD = "10%";
export const DEFAULT_MIN_CHANGE = "1s";

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

export async function compareCommand(
  baseDir: string,
  newDir: string,
  o: CompareCliOptions,
  write: (s: string) => void = (s) => process.stdout.write(s),
): Promise<number> {
  const issues: InputIssue[] = [];
  const thresholdPct = parsePercent(o.threshold ?? DEFAULT_THRESHOLD);
  if (thresholdPct === undefined)
    issues.push(argIssue("--threshold", `"${o.threshold}" is not a percentage (e.g. 10%)`));
  const minChangeMs = parseDuration(o.minChange ?? DEFAULT_MIN_CHANGE);
  if (minChangeMs === undefined)
    issues.push(argIssue("--min-change", `"${o.minChange}" is not a duration (e.g. 500ms, 1s)`));
  const folders = await Promise.all([baseDir, newDir].map(tryReadRunFolder));
  for (const f of folders) if (!("results" in f)) issues.push(f);
  if (issues.length > 0) throw new InputError(issues);
  const [base, next] = folders as RunFolder[];
  const comparison = compareResults(base!.results, next!.results, {
    thresholdPct: thresholdPct!,
    minChangeMs: minChangeMs!,
  });
  const text = renderComparisonMarkdown(comparison, { base: `${baseDir}`, next: `${newDir}` });
  write(text);
  if (o.out) await writeFile(o.out, text);
  return comparison.regressions > 0 ? EXIT.failed : EXIT.ok;
}
