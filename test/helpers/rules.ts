// What a user reads when a scenario is refused: each problem as "line:field: message", from the
// real loader (schema, resolution, the plug-ins' rules), with the command line's overrides if given.
import { InputError } from "../../harness/model/errors.ts";
import { parseScenario, type LoadOptions } from "../../harness/scenario/load.ts";

export function problems(text: string, opts: LoadOptions = {}): string[] {
  try {
    parseScenario("t.yaml", text, opts);
    return [];
  } catch (e) {
    if (e instanceof InputError) return e.issues.map((i) => `${i.line}:${i.path}: ${i.message}`);
    throw e;
  }
}

/** A scenario of these tools and steps (YAML lines), with more top-level lines before them. */
export function scenario(tools: string, steps: string[], more = ""): string {
  return `name: t\n${more}tools: ${tools}\nsteps:\n${steps.map((s) => `  - ${s}\n`).join("")}`;
}
