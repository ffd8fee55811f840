// `drdrill report DIR`: the reports of a finished run folder rendered again from its results.json.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { resolveReporters, DEFAULT_REPORTERS } from "../../reports/registry.ts";
import type { ResultsFile } from "../model/results-file.ts";
import { InputError } from "../model/errors.ts";

export async function reportCommand(dir: string): Promise<number> {
  const text = await readFile(join(dir, "results.json"), "utf8").catch(() => null);
  if (text === null)
    throw new InputError([
      {
        file: join(dir, "results.json"),
        line: 1,
        column: 1,
        path: "",
        message: "not found: is this a drdrill run folder?",
      },
    ]);
  const results = JSON.parse(text) as ResultsFile;
  if (results.schemaVersion > 1)
    throw new InputError([
      {
        file: join(dir, "results.json"),
        line: 1,
        column: 1,
        path: "schemaVersion",
        message: `version ${results.schemaVersion} is newer than this drdrill understands (1)`,
      },
    ]);
  const reporters = await resolveReporters(DEFAULT_REPORTERS.filter((r) => r !== "json"));
  for (const r of reporters) if (r.name !== "json") await r.onEnd?.(results, dir);
  return results.exitCode;
}
