// `drdrill list [faults|tools|targets|scenarios|all]`: the registries' plug-ins, or the scenarios of folders.
import { z } from "zod";
import { FAULTS } from "../faults/registry.ts";
import { EXIT } from "../model/exit-codes.ts";
import { loadScenarios } from "../scenario/load.ts";
import { TARGETS } from "../targets/registry.ts";
import { TOOLS } from "../tools/registry.ts";

export function listCommand(what: string): number {
  const out: string[] = [];
  if (what === "faults" || what === "all") {
    out.push("faults:");
    for (const f of Object.values(FAULTS)) {
      const schema = z.toJSONSchema(f.params as z.ZodType, { io: "input" }) as {
        properties?: Record<string, { type?: string; description?: string }>;
      };
      const params = Object.entries(schema.properties ?? {})
        .map(([k, v]) => `${k}${v.type ? `: ${v.type}` : ""}`)
        .join(", ");
      out.push(`  ${f.name.padEnd(22)} expect ${f.expect.join("|").padEnd(19)} { ${params} }  ${f.description}`);
    }
  }
  if (what === "tools" || what === "all") {
    out.push("tools:");
    const tools = Object.values(TOOLS);
    const nameW = Math.max(...tools.map((t) => t.name.length));
    const needsW = Math.max(...tools.map((t) => t.binaries.join(", ").length));
    for (const t of tools)
      out.push(`  ${t.name.padEnd(nameW)} needs ${t.binaries.join(", ").padEnd(needsW)} ${t.description}`);
  }
  if (what === "targets" || what === "all") {
    out.push("targets:");
    for (const t of Object.values(TARGETS)) out.push(`  ${t.name.padEnd(12)} ${t.description}`);
  }
  process.stdout.write(`${out.join("\n")}\n`);
  return EXIT.ok;
}

export async function listScenarios(dirs: string[]): Promise<number> {
  const scenarios = await loadScenarios(dirs.length > 0 ? dirs : ["scenarios"]);
  for (const s of scenarios)
    process.stdout.write(
      `${s.scenario.name.padEnd(28)} ${s.file}  expect ${s.expected.join("|")}  tools ` +
        // The tools its runs use: its tools entries, or its source's tool (a restore test's repository.tool).
        `${[...new Set(s.runs.map((r) => r.tool.name))].join(", ")}\n`,
    );
  return EXIT.ok;
}
