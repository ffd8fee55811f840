// Checks of a `drdrill run` that need this machine but run nothing: a passphrase too short to be
// redacted safely, a dataset that cannot fit in the run folder's file system, and a run folder
// inside a tree the run copies. Bad input: exit 2, before the run folder is taken.
import { realpathSync } from "node:fs";
import { stat, statfs } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { localDir } from "../agent/local-dir.ts";
import { InputError, type InputIssue } from "../model/errors.ts";
import type { RunPlan } from "../runner/plan.ts";
import type { LoadedScenario } from "../scenario/load.ts";
import { formatBytes } from "../util/units.ts";

export const MIN_PASSPHRASE = 8;

/** Where a run folder goes without --out (out-dir.ts takes a new folder under it). */
export const DEFAULT_RUNS_ROOT = "drdrill-runs";

/** A tree's bytes on the data's side: the data, its backup, and the restored copy, at the same time. */
const COPIES_PER_RUN = 3;

/** A path's real form, through its nearest existing ancestor (the run folder does not exist yet). */
function realOf(path: string): string {
  const rest: string[] = [];
  let at = resolve(path);
  for (;;) {
    try {
      return join(realpathSync(at), ...rest.reverse());
    } catch {
      if (dirname(at) === at) return resolve(path);
      rest.push(basename(at));
      at = dirname(at);
    }
  }
}

function shortPassphrases(plans: RunPlan[], env: NodeJS.ProcessEnv): InputIssue[] {
  const issues: InputIssue[] = [];
  const seenVars = new Set<string>();
  for (const p of plans) {
    const setting = p.tool.adapter.capabilities.encryption(p.tool.settings).secretSetting;
    const ref = setting ? (p.tool.settings[setting] as { env?: string } | undefined) : undefined;
    const name = ref?.env;
    if (!name || seenVars.has(name)) continue;
    seenVars.add(name);
    const value = env[name];
    if (value && value.length < MIN_PASSPHRASE)
      issues.push({
        file: "(environment)",
        line: 1,
        column: 1,
        path: name,
        message:
          `holds ${value.length} character(s): a passphrase needs at least ${MIN_PASSPHRASE} (a shorter one ` +
          `cannot be told apart from other text to redact it); ` +
          (p.points.kind === "source"
            ? "a restore test opens its repository with it: give the repository a longer one"
            : "unset it for a random one"),
      });
  }
  return issues;
}

/** The biggest dataset of this machine must fit: its data, backup and restore side by side, plus a pristine copy. */
async function spaceProblems(plans: RunPlan[], outDir: string, sizeFromCli: boolean): Promise<InputIssue[]> {
  let worst: { bytes: number; plan: RunPlan } | null = null;
  const sized = new Map<string, number>();
  for (const p of plans) {
    if (!p.target.def.dataOnThisMachine) continue;
    const from = p.loaded.scenario.dataset.copyFrom;
    const key = from ?? `${p.sizeBytes}`;
    let bytes = sized.get(key);
    if (bytes === undefined) {
      bytes = from
        ? (
            await localDir(from)
              .size()
              .catch(() => ({ bytes: 0 }))
          ).bytes
        : p.sizeBytes;
      sized.set(key, bytes);
    }
    if (!worst || bytes > worst.bytes) worst = { bytes, plan: p };
  }
  if (!worst) return [];
  let at = outDir;
  while (!(await stat(at).catch(() => null)) && dirname(at) !== at) at = dirname(at);
  const fs = await statfs(at);
  const free = fs.bavail * fs.bsize;
  const needed = worst.bytes * (COPIES_PER_RUN + 1);
  if (needed <= free) return [];
  const s = worst.plan.loaded;
  const field = s.scenario.dataset.copyFrom ? "copyFrom" : "size";
  const where =
    sizeFromCli && field === "size"
      ? { file: "(command line)", line: 1, column: 1, path: "--size" }
      : { file: s.file, ...(s.locate?.(["dataset", field]) ?? { line: 1, column: 1 }), path: `dataset.${field}` };
  return [
    {
      ...where,
      message:
        `${formatBytes(worst.bytes)} of data needs about ${formatBytes(needed)} free in ${outDir} ` +
        `(data, backup, restore and a pristine copy); ${formatBytes(free)} is free`,
    },
  ];
}

/** A scenario source's checks on this machine (a restore test's passphrase variable and folders). */
function sourceProblems(plans: RunPlan[], env: NodeJS.ProcessEnv, runFolder: string | null): InputIssue[] {
  const issues: InputIssue[] = [];
  const seen = new Set<LoadedScenario>();
  for (const p of plans) {
    if (p.points.kind !== "source" || seen.has(p.loaded)) continue;
    seen.add(p.loaded);
    const { def, name, params } = p.points;
    for (const problem of def.preflight?.(params, env, p.loaded.dir) ?? []) {
      const path = [name, ...(problem.field ? problem.field.split(".") : [])];
      const at = p.loaded.locate?.(path) ?? { line: 1, column: 1 };
      issues.push({ file: p.loaded.file, ...at, path: path.join("."), message: problem.message });
    }
    // The run writes its folder (the restored tree among it): never inside what the source only reads.
    const out = realOf(runFolder ?? DEFAULT_RUNS_ROOT);
    for (const ro of def.readOnlyPaths?.(params, p.loaded.dir) ?? []) {
      const tree = realOf(ro);
      if (out !== tree && !out.startsWith(tree === "/" ? "/" : `${tree}/`)) continue;
      const given = runFolder ? `--out ${runFolder}` : `the default run folder (${resolve(DEFAULT_RUNS_ROOT)}/...)`;
      issues.push({
        file: "(command line)",
        line: 1,
        column: 1,
        path: "--out",
        message: `${given} is inside ${tree}, which ${p.loaded.file}'s ${name} only reads: give --out outside it`,
      });
    }
  }
  return issues;
}

/** A run folder inside a tree the run copies would be copied into itself. */
function outInsideCopies(scenarios: LoadedScenario[], runFolder: string | null): InputIssue[] {
  const out = realOf(runFolder ?? DEFAULT_RUNS_ROOT);
  const issues: InputIssue[] = [];
  for (const s of scenarios) {
    const from = s.scenario.dataset.copyFrom;
    if (from === undefined) continue;
    const tree = realOf(from);
    if (out !== tree && !out.startsWith(tree === "/" ? "/" : `${tree}/`)) continue;
    const given = runFolder ? `--out ${runFolder}` : `the default run folder (${resolve(DEFAULT_RUNS_ROOT)}/...)`;
    issues.push({
      file: "(command line)",
      line: 1,
      column: 1,
      path: "--out",
      message:
        `${given} is inside ${tree}, the tree dataset.copyFrom of ${s.file} copies: ` +
        "the run would copy its own folder; give --out outside it",
    });
  }
  return issues;
}

export async function preflightRun(
  plans: RunPlan[],
  scenarios: LoadedScenario[],
  opts: { runFolder: string | null; sizeFromCli?: boolean; env?: NodeJS.ProcessEnv },
): Promise<void> {
  const outDir = opts.runFolder ? dirname(opts.runFolder) : resolve(".");
  const issues = [
    ...outInsideCopies(scenarios, opts.runFolder),
    ...shortPassphrases(plans, opts.env ?? process.env),
    ...sourceProblems(plans, opts.env ?? process.env, opts.runFolder),
    ...(await spaceProblems(plans, outDir, opts.sizeFromCli === true)),
  ];
  if (issues.length > 0) throw new InputError(issues);
}
