// `drdrill history RUN_FOLDERS...` (or folders holding run folders): one table per scenario over time
// on stdout, and an HTML page with a chart per scenario (--out, default history.html); bad input exits 2.
import { existsSync } from "node:fs";
import { readdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { buildHistory } from "../compare/history.ts";
import { InputError, type InputIssue } from "../model/errors.ts";
import { EXIT } from "../model/exit-codes.ts";
import { renderHistoryHtml, renderHistoryMarkdown } from "../../reports/history.ts";
import { DEFAULT_HISTORY_OUT } from "./option-defaults.ts";
import { tryReadRunFolder, type RunFolder } from "./run-folder.ts";

export { DEFAULT_HISTORY_OUT };

const argIssue = (file: string, message: string): InputIssue => ({ file, line: 1, column: 1, path: "", message });

/** A run folder itself, or the run folders directly inside it. */
async function expand(path: string): Promise<string[]> {
  const isDir = await stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir || existsSync(join(path, "results.json"))) return [path];
  const names = (await readdir(path, { withFileTypes: true })).filter((d) => d.isDirectory());
  const inside = names.map((d) => join(path, d.name)).filter((d) => existsSync(join(d, "results.json")));
  return inside.length > 0 ? inside.sort() : [path];
}

export async function historyCommand(
  paths: string[],
  o: { out?: string },
  write: (s: string) => void = (s) => process.stdout.write(s),
): Promise<number> {
  if (paths.length === 0) throw new InputError([argIssue("(command line)", "name at least one run folder")]);
  const dirs = (await Promise.all(paths.map(expand))).flat();
  const read = await Promise.all(dirs.map(tryReadRunFolder));
  const issues = read.filter((r): r is InputIssue => !("results" in r));
  if (issues.length > 0) throw new InputError(issues);
  const history = buildHistory(read as RunFolder[]);
  if (history.length === 0) throw new InputError([argIssue(dirs[0]!, "no runs in these run folders")]);
  write(renderHistoryMarkdown(history));
  const out = o.out ?? DEFAULT_HISTORY_OUT;
  await writeFile(out, renderHistoryHtml(history, dirs.length));
  write(`history: ${out}\n`);
  return EXIT.ok;
}
