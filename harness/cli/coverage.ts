// drdrill coverage: every archive fault of the catalogue x each tool's ways of checking (light, a
// sampled read where the tool has one, deep, a restore into a scratch folder). Each (tool, fault) is a
// generated scenario run by the ordinary runner; the matrix is read back from its journal.
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { stringify } from "yaml";
import { resolveReporters } from "../../reports/registry.ts";
import {
  CHECK_WAYS,
  cellsOfRun,
  cheapestWays,
  type CheckWay,
  coverageHtml,
  coverageMarkdown,
  type CoverageMatrix,
  type CoverageRow,
} from "../../reports/coverage-matrix.ts";
import { FAULTS } from "../faults/registry.ts";
import { InputError, type InputIssue } from "../model/errors.ts";
import { silentProgress } from "../model/progress.ts";
import { runInvocation } from "../runner/invocation.ts";
import { planRuns } from "../runner/plan.ts";
import { loadScenarios } from "../scenario/load.ts";
import type { LoadedScenario } from "../scenario/load.ts";
import { TOOLS } from "../tools/registry.ts";
import { parseSize } from "../util/units.ts";
import { readJournal } from "./journal-file.ts";
import { takeRunFolder } from "./out-dir.ts";
import { argIssue } from "./run-options.ts";

/** The faults of the catalogue that act on the repository (its files, its key, its lock, its passphrase). */
export const ARCHIVE_FAULTS = [
  "corrupt-archive",
  "truncate-archive",
  "delete-archive-volume",
  "lost-key",
  "wrong-passphrase",
  "stale-lock",
] as const;

/** Settings that give each tool several data files at a small size (duplicity: 1 MB volumes). */
const TOOL_SETTINGS: Record<string, Record<string, unknown>> = {
  duplicity: { encryption: "gpg-symmetric", volsize: 1 },
};

export interface CoverageOptions {
  tool?: string[];
  fault?: string[];
  out?: string;
  size?: string;
  sample?: string;
  timeout?: string;
}

/**
 * A fault that picks one data file picks the largest: a data pack (restic's small tree packs are read by
 * every check, so a seeded pick would make the light check look deep by chance).
 */
function paramsOf(fault: string): Record<string, unknown> {
  const largest = { volume: "largest" };
  return FAULTS[fault]!.params.safeParse(largest).success ? largest : {};
}

/** The ways this tool checks: light, a sampled read where it has one, deep, a restore. */
function waysOf(tool: string): CheckWay[] {
  return CHECK_WAYS.filter((w) => w !== "sample" || Boolean(TOOLS[tool]!.capabilities.sampledCheck));
}

/**
 * One (tool, fault, way): a fresh backup, the fault, then that one check. Each way gets its own damaged
 * repository: a check killed at the timeout leaves a lock that would fail the next check for the wrong reason.
 */
function scenarioFor(
  tool: string,
  fault: string,
  way: CheckWay,
  o: { sizeBytes: number; sample: number; timeout: string },
) {
  const last =
    way === "restore"
      ? { restore: "latest" }
      : way === "sample"
        ? { check: { sample: `${o.sample}%` } }
        : { check: way };
  return {
    name: `coverage-${tool}-${fault}-${way}`,
    description: `drdrill coverage: ${fault}, then ${tool}'s ${way} check.`,
    dataset: { size: `${o.sizeBytes}B`, seed: 31 },
    timeout: o.timeout,
    tools: [{ [tool]: TOOL_SETTINGS[tool] ?? {} }],
    steps: [{ backup: "full" }, { fault: { [fault]: paramsOf(fault) } }, last],
    expect: ["detected", "failed", "recovered", "silent-corruption", "error"],
  };
}

export async function coverageCommand(o: CoverageOptions, argv: string[]): Promise<number> {
  const issues: InputIssue[] = [];
  const tools = o.tool ?? ["restic", "borg", "duplicity"];
  for (const t of tools) if (!TOOLS[t]) issues.push(argIssue("--tool", `unknown tool "${t}"`));
  const faults = o.fault ?? [...ARCHIVE_FAULTS];
  for (const f of faults)
    if (!(ARCHIVE_FAULTS as readonly string[]).includes(f))
      issues.push(argIssue("--fault", `"${f}" is not an archive fault (${ARCHIVE_FAULTS.join(", ")})`));
  let sizeBytes = 8 * 1024 * 1024;
  if (o.size !== undefined) {
    const parsed = parseSize(o.size);
    if (parsed === undefined || parsed <= 0) issues.push(argIssue("--size", `"${o.size}" is not a size such as 8MB`));
    else sizeBytes = parsed;
  }
  const sample = o.sample !== undefined ? Number(o.sample.replace(/%$/, "")) : 10;
  if (!(sample > 0 && sample <= 100)) issues.push(argIssue("--sample", `"${o.sample}" is not a percentage above 0`));
  if (issues.length > 0) throw new InputError(issues);

  const { dir: outDir, runId } = await takeRunFolder(o.out, {});
  const scenDir = join(outDir, "scenarios");
  await mkdir(scenDir, { recursive: true });
  const rows: CoverageRow[] = [];
  const loaded: LoadedScenario[] = [];
  const rowOf = new Map<string, { row: CoverageRow; way: CheckWay }>();
  for (const tool of tools) {
    for (const fault of faults) {
      const damage = FAULTS[fault]!.expect.every((x) => x === "detected");
      const row: CoverageRow = { tool, fault, damage, cells: {} };
      rows.push(row);
      for (const way of waysOf(tool)) {
        const file = join(scenDir, `${tool}-${fault}-${way}.yaml`);
        const doc = scenarioFor(tool, fault, way, { sizeBytes, sample, timeout: o.timeout ?? "60s" });
        await writeFile(file, stringify(doc));
        try {
          loaded.push(...(await loadScenarios([file])));
          rowOf.set(doc.name, { row, way });
        } catch (e) {
          // The fault's or tool's rules refuse it (no key to lose, no passphrase to get wrong): n/a, in their words.
          const said = e instanceof InputError ? e.issues.map((i) => i.message).join("; ") : String(e);
          row.cells[way] = { verdict: "n/a", said };
        }
      }
    }
  }
  const plans = planRuns(loaded);
  const results = await runInvocation({
    runId,
    argv,
    scenarios: loaded,
    plans,
    outDir,
    reporters: await resolveReporters(["json"]),
    progress: silentProgress,
  });
  const events = await readJournal(join(outDir, "journal.jsonl"));
  const byRun = new Map<number, typeof events>();
  for (const e of events) if (e.run !== undefined) byRun.set(e.run, [...(byRun.get(e.run) ?? []), e]);
  for (const [, evs] of byRun) {
    const start = evs.find((e) => e.type === "run-start");
    if (!start || start.type !== "run-start") continue;
    const at = rowOf.get(start.scenario);
    if (!at) continue;
    const result = results.results.find((r) => r.scenario === start.scenario);
    const cell = cellsOfRun(evs, result?.verification?.mismatches.length ?? 0)[at.way];
    at.row.cells[at.way] = cell ?? {
      verdict: "n/a",
      said: result?.error ?? "the check did not run (the run ended before it)",
    };
  }
  const matrix: CoverageMatrix = {
    generatedAt: new Date().toISOString(),
    datasetBytes: sizeBytes,
    samplePercent: sample,
    tools,
    faults,
    rows,
    cheapest: cheapestWays(rows, tools),
  };
  await writeFile(join(outDir, "coverage.json"), JSON.stringify(matrix, null, 2) + "\n");
  await writeFile(join(outDir, "coverage.md"), coverageMarkdown(matrix));
  await writeFile(join(outDir, "coverage.html"), coverageHtml(matrix));
  process.stdout.write(coverageMarkdown(matrix) + `\ncoverage: ${resolve(outDir, "coverage.md")}\n`);
  return 0;
}
