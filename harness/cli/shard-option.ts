// The --shard I/N option of `drdrill run` and `drdrill plan`, and --durations (a previous run, whose
// measured durations balance the shards): one reading for both, so both split alike.
import { InputError, type InputIssue } from "../model/errors.ts";
import type { RunResult } from "../model/result.ts";
import { readRunFolder } from "./run-folder.ts";

export interface Shard {
  index: number;
  count: number;
}

export function parseShard(text: string, field = "--shard"): Shard | InputIssue {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2]))
    return {
      file: "(command line)",
      line: 1,
      column: 1,
      path: field,
      message: `"${text}" is not I/N with 1 <= I <= N`,
    };
  return { index: Number(m[1]), count: Number(m[2]) };
}

/** The runs of the results.json (or run folder) --durations names; bad input when it cannot be read. */
export async function previousRuns(path: string | undefined): Promise<RunResult[] | undefined> {
  if (path === undefined) return undefined;
  try {
    return (await readRunFolder(path)).results.results;
  } catch (e) {
    if (e instanceof InputError)
      throw new InputError(e.issues.map((i) => ({ ...i, path: i.path ? `--durations: ${i.path}` : "--durations" })));
    throw e;
  }
}
