// --reporter: the reporters by name, or a module path; loaded before the run folder is taken, so a
// missing or broken module is bad input (exit 2) and leaves nothing behind.
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { REPORTERS, resolveReporters } from "../../reports/registry.ts";
import { InputError } from "../model/errors.ts";
import type { Reporter } from "../model/reporter.ts";
import { argIssue } from "./run-options.ts";

export async function loadReporters(names: string[]): Promise<Reporter[]> {
  const issues = [];
  for (const name of names) {
    if (REPORTERS[name]) continue;
    if (!/[./]/.test(name))
      issues.push(
        argIssue(
          "--reporter",
          `unknown reporter "${name}" (available: ${Object.keys(REPORTERS).join(", ")}, or a module path)`,
        ),
      );
    else if (!(await stat(resolve(name)).catch(() => null))?.isFile())
      issues.push(argIssue("--reporter", `${name}: no such file (a reporter module is a path to a .js or .ts file)`));
  }
  if (issues.length > 0) throw new InputError(issues);
  try {
    return await resolveReporters(names);
  } catch (e) {
    const said = (e instanceof Error ? e.message : String(e)).split("\n")[0];
    throw new InputError([argIssue("--reporter", `a reporter module could not be loaded: ${said}`)]);
  }
}
