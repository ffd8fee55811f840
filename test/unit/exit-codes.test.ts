// One exit-code table: the documented one (README.md, or the docs/ page it moved to) is the one the
// code uses, row by row; each code has one name; and when several apply, the documented order wins.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXIT, EXIT_ORDER, EXIT_TABLE, worstExit } from "../../harness/model/exit-codes.ts";
import { ROOT } from "../helpers/cli.ts";

/** The Markdown files users read: README.md and docs/*.md. */
function docs(): string[] {
  const dir = join(ROOT, "docs");
  const pages = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith(".md"))
        .map((f) => join(dir, f))
    : [];
  return [join(ROOT, "README.md"), ...pages].map((f) => readFileSync(f, "utf8"));
}

/** The rows of the documented table whose header starts "| code | name |". */
function documentedRows(): string[][] {
  const text = docs().find((t) => t.includes("| code | name |"))!;
  expect(text, "a page with the exit-code table").toBeDefined();
  const lines = text.split("\n");
  const head = lines.findIndex((l) => l.startsWith("| code | name |"));
  const rows: string[][] = [];
  for (const l of lines.slice(head + 2)) {
    if (!l.startsWith("|")) break;
    rows.push(
      l
        .slice(1, -1)
        .split(" | ")
        .map((c) => c.trim()),
    );
  }
  return rows;
}

describe("exit codes", () => {
  it("the documented table is the code's table, row by row", () => {
    expect(documentedRows()).toEqual(EXIT_TABLE.map((r) => [`\`${r.code}\``, r.name, r.run, r.compare]));
  });

  it("keeps 0, 1, 2, 3 and 130 as they were; every code has one name and one place in the order", () => {
    expect(EXIT).toMatchObject({ ok: 0, failed: 1, input: 2, environment: 3, interrupted: 130 });
    expect(new Set(Object.values(EXIT)).size).toBe(Object.keys(EXIT).length);
    expect([...EXIT_ORDER].sort((a, b) => a - b)).toEqual(Object.values(EXIT).sort((a, b) => a - b));
    expect(worstExit([EXIT.regression, EXIT.objective, EXIT.failed])).toBe(EXIT.failed);
    expect(worstExit([EXIT.failed, EXIT.environment])).toBe(EXIT.environment);
    expect(worstExit([EXIT.regression, EXIT.objective])).toBe(EXIT.objective);
    expect(worstExit([])).toBe(EXIT.ok);
  });
});
