// Reporters by name; `--reporter PATH` loads a module whose default export is a Reporter.
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { createConsoleReporter } from "./console.ts";
import { htmlReporter } from "./html.ts";
import { jsonReporter } from "./json.ts";
import { junitReporter } from "./junit.ts";
import { markdownReporter } from "./markdown.ts";
import type { Reporter } from "../harness/model/reporter.ts";

export const REPORTERS: Record<string, () => Reporter> = {
  json: () => jsonReporter,
  markdown: () => markdownReporter,
  junit: () => junitReporter,
  html: () => htmlReporter,
  console: () => createConsoleReporter(),
};

/** File reporters always run (results.json is the contract); these are added by default. */
export const DEFAULT_REPORTERS = ["json", "markdown", "junit", "html", "console"];

/** The run folder's files (DESIGN.md: results.json, report.md, index.html, junit.xml) are always written. */
export const FILE_REPORTERS = ["json", "markdown", "junit", "html"];

export async function resolveReporters(names: string[]): Promise<Reporter[]> {
  const wanted = [...new Set([...FILE_REPORTERS, ...names])];
  const out: Reporter[] = [];
  for (const name of wanted) {
    const make = REPORTERS[name];
    if (make) out.push(make());
    else {
      const mod = (await import(pathToFileURL(resolve(name)).href)) as { default?: Reporter };
      if (!mod.default?.name) throw new Error(`reporter ${name}: its default export is not a reporter`);
      out.push(mod.default);
    }
  }
  return out;
}
