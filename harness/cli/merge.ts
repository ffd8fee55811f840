// `drdrill merge DIR... --out DIR`: joins sharded runs into one run folder (results, journals,
// logs, scenario snapshots), re-applies objectives across all runs, and re-renders every report.
import { createHash } from "node:crypto";
import { cp, mkdir, readdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { resolveReporters } from "../../reports/registry.ts";
import { ReporterMux } from "../runner/reporter-mux.ts";
import { assembleResults, newRunId } from "../runner/results-file.ts";
import type { JournalEvent } from "../model/journal-events.ts";
import type { RunResult } from "../model/result.ts";
import type { ResultsFile } from "../model/results-file.ts";
import { verdictOf } from "../model/verdict.ts";
import { InputError, type InputIssue } from "../model/errors.ts";
import { loadScenarios, type LoadedScenario } from "../scenario/load.ts";
import { readJournal } from "./journal-file.ts";
import { readRunFolders, type RunFolder } from "./run-folder.ts";

const logDir = (index: number) => `logs/run-${String(index + 1).padStart(3, "0")}`;

/** Run numbers in the merged folder: by original index (shards keep the plan's), then by folder. */
function renumber(folders: RunFolder[]): Map<string, number> {
  const all = folders.flatMap((f, fi) => f.results.results.map((r) => ({ fi, index: r.index })));
  all.sort((a, b) => a.index - b.index || a.fi - b.fi);
  return new Map(all.map((x, i) => [`${x.fi}:${x.index}`, i]));
}

function movedPath(path: string, from: number, to: number): string {
  const prefix = logDir(from);
  return path.startsWith(`${prefix}/`) ? `${logDir(to)}${path.slice(prefix.length)}` : path;
}

/** Scenario files whose text still has the digest recorded at run time: their objectives can be re-applied. */
async function scenariosAsRun(
  folders: RunFolder[],
  scenarios: ResultsFile["scenarios"],
): Promise<LoadedScenario[] | null> {
  const candidates = [...new Set([...folders.map((f) => join(f.dir, "scenarios")), ...scenarios.map((s) => s.file)])];
  const loaded: LoadedScenario[] = [];
  for (const c of candidates) loaded.push(...(await loadScenarios([c]).catch(() => [])));
  const byDigest = new Map(loaded.map((l) => [createHash("sha256").update(l.text).digest("hex"), l]));
  const out: LoadedScenario[] = [];
  for (const s of scenarios) {
    const l = byDigest.get(s.sha256);
    if (!l) return null;
    out.push({ ...l, file: s.file });
  }
  return out;
}

export async function mergeCommand(
  dirs: string[],
  outDir: string,
  argv: string[],
  warn: (s: string) => void = (s) => process.stderr.write(s),
): Promise<number> {
  const issues: InputIssue[] = [];
  const out = resolve(outDir);
  if (dirs.length === 0)
    issues.push({ file: "(command line)", line: 1, column: 1, path: "merge", message: "name at least one run folder" });
  if (dirs.some((d) => resolve(d) === out))
    issues.push({
      file: "(command line)",
      line: 1,
      column: 1,
      path: "--out",
      message: "must be a new folder, not one of the folders merged",
    });
  if (issues.length > 0) throw new InputError(issues);
  const folders = await readRunFolders(dirs);
  const seen = new Map<string, string>();
  for (const f of folders) {
    const prior = seen.get(f.results.runId);
    if (prior)
      issues.push({
        file: f.file,
        line: 1,
        column: 1,
        path: "runId",
        message: `the same run as ${prior}: merge each shard once`,
      });
    seen.set(f.results.runId, f.file);
  }
  if (issues.length > 0) throw new InputError(issues);
  if ((await readdir(out).catch(() => [])).length > 0)
    throw new InputError([
      { file: out, line: 1, column: 1, path: "--out", message: "is not empty: merge into a new folder" },
    ]);
  await mkdir(out, { recursive: true });

  const numbers = renumber(folders);
  const results: RunResult[] = [];
  const journal: string[] = [];
  for (const [fi, f] of folders.entries()) {
    const map = (i: number) => numbers.get(`${fi}:${i}`) ?? i;
    for (const r of f.results.results) {
      const to = map(r.index);
      results.push({
        ...r,
        index: to,
        toolCalls: r.toolCalls.map((c) => ({
          ...c,
          stdoutLog: movedPath(c.stdoutLog, r.index, to),
          stderrLog: movedPath(c.stderrLog, r.index, to),
        })),
      });
      await cp(join(f.dir, logDir(r.index)), join(out, logDir(to)), { recursive: true }).catch(() => {});
    }
    for (const e of await readJournal(join(f.dir, "journal.jsonl"))) {
      const ev = { ...e } as JournalEvent & { stdoutPath?: string; stderrPath?: string };
      if (ev.run !== undefined) {
        const to = map(ev.run);
        if (ev.type === "tool-call") {
          ev.stdoutPath = movedPath(ev.stdoutPath!, ev.run, to);
          ev.stderrPath = movedPath(ev.stderrPath!, ev.run, to);
        }
        ev.run = to;
      }
      journal.push(JSON.stringify(ev));
    }
    await cp(join(f.dir, "scenarios"), join(out, "scenarios"), { recursive: true, force: false }).catch(() => {});
  }
  await writeFile(join(out, "journal.jsonl"), journal.length > 0 ? `${journal.join("\n")}\n` : "");

  const scenarios = [
    ...new Map(folders.flatMap((f) => f.results.scenarios ?? []).map((s) => [`${s.file}@${s.sha256}`, s])).values(),
  ];
  const loaded = await scenariosAsRun(folders, scenarios);
  const byFile = new Map((loaded ?? []).map((l) => [l.file, l]));
  if (!loaded)
    warn(
      "drdrill: merge: a scenario file as run was not found (or has changed since), so each shard's objectives " +
        "are kept as they were evaluated\n",
    );
  const first = folders[0]!.results;
  const targets = [
    ...new Set(folders.flatMap((f) => (f.results.environment.target.kind ?? "").split(", ").filter(Boolean))),
  ];
  const merged = assembleResults({
    runId: newRunId(),
    startedAt: folders.map((f) => f.results.startedAt).sort()[0]!,
    finishedAt: folders
      .map((f) => f.results.finishedAt)
      .sort()
      .at(-1)!,
    argv,
    environment: {
      ...first.environment,
      target: { ...first.environment.target, ...(targets.length > 0 ? { kind: targets.join(", ") } : {}) },
      tools: Object.assign({}, ...folders.map((f) => f.results.environment.tools)) as Record<string, string>,
    },
    scenarios,
    results,
    // Each shard ran on its own; runs within a shard may have gone at once.
    parallelJobs: Math.max(1, ...folders.map((f) => f.results.parallelJobs ?? 1)),
    // Warm-up runs are not carried over: they were not counted, and their logs' numbers would collide.
    interrupted: folders.some((f) => f.results.interrupted),
    warnings: folders.flatMap((f) => f.results.warnings ?? []),
    ...(loaded ? { thresholdsOf: (r: RunResult) => byFile.get(r.file)?.thresholds ?? [] } : {}),
  });
  const mux = new ReporterMux(await resolveReporters([]));
  await mux.onEnd(merged, out);
  for (const e of mux.errors) warn(`drdrill: ${e}\n`);
  const verdict = verdictOf(merged);
  process.stdout.write(
    `merged ${folders.length} run folder(s), ${results.length} run(s): ${verdict.headline}: ${verdict.detail}\n` +
      `report: ${join(out, "index.html")}\n`,
  );
  return merged.exitCode;
}
