// Reads a finished run folder's results.json for report, compare, merge and evidence; a missing
// or unreadable file, or one from a newer drdrill, is bad input (exit 2).
import { readFile, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { SCHEMA_VERSION, type ResultsFile } from "../model/results-file.ts";
import { InputError, type InputIssue } from "../model/errors.ts";

export interface RunFolder {
  /** The folder the results.json is in. */
  dir: string;
  file: string;
  results: ResultsFile;
}

const issue = (file: string, path: string, message: string): InputIssue => ({
  file,
  line: 1,
  column: 1,
  path,
  message,
});

/** Checks one folder (or a results.json path) and returns its problems instead of throwing. */
export async function tryReadRunFolder(path: string): Promise<RunFolder | InputIssue> {
  const isFile =
    path.endsWith(".json") &&
    (await stat(path).then(
      (s) => s.isFile(),
      () => false,
    ));
  const file = isFile ? path : join(path, "results.json");
  const text = await readFile(file, "utf8").catch(() => null);
  if (text === null) return issue(file, "", "not found: is this a drdrill run folder?");
  let results: ResultsFile;
  try {
    results = JSON.parse(text) as ResultsFile;
  } catch (e) {
    return issue(file, "", `not valid JSON: ${(e as Error).message}`);
  }
  if (typeof results !== "object" || results === null || typeof results.schemaVersion !== "number")
    return issue(file, "schemaVersion", "missing: not a drdrill results.json");
  if (results.schemaVersion > SCHEMA_VERSION)
    return issue(
      file,
      "schemaVersion",
      `version ${results.schemaVersion} is newer than this drdrill understands (${SCHEMA_VERSION})`,
    );
  if (!Array.isArray(results.results)) return issue(file, "results", "missing: not a drdrill results.json");
  return { dir: isFile ? dirname(file) : path, file, results };
}

export async function readRunFolder(path: string): Promise<RunFolder> {
  const r = await tryReadRunFolder(path);
  if (!("results" in r)) throw new InputError([r]);
  return r;
}

/** Reads several folders, reporting every bad one together. */
export async function readRunFolders(paths: string[]): Promise<RunFolder[]> {
  const read = await Promise.all(paths.map(tryReadRunFolder));
  const issues = read.filter((r): r is InputIssue => !("results" in r));
  if (issues.length > 0) throw new InputError(issues);
  return read as RunFolder[];
}
