// Checks of a `drdrill run` that need this machine but run nothing: a passphrase too short to be
// redacted safely, and a dataset that cannot fit in the run folder's file system. Bad input: exit 2.
import { stat, statfs } from "node:fs/promises";
import { dirname } from "node:path";
import { localDir } from "../agent/local-dir.ts";
import { InputError, type InputIssue } from "../model/errors.ts";
import type { RunPlan } from "../runner/plan.ts";
import { TARGETS } from "../targets/registry.ts";
import { TOOLS } from "../tools/registry.ts";
import { formatBytes, parseSize } from "../util/units.ts";

export const MIN_PASSPHRASE = 8;

/** A tree's bytes on the data's side: the data, its backup, and the restored copy, at the same time. */
const COPIES_PER_RUN = 3;

export async function preflightRun(
  plans: RunPlan[],
  opts: {
    outDir: string;
    sizeBytes?: number;
    targetName?: string;
    targetSettings?: Record<string, Record<string, unknown>>;
    env?: NodeJS.ProcessEnv;
  },
): Promise<void> {
  const env = opts.env ?? process.env;
  const issues: InputIssue[] = [];
  // The target each run goes to, with its settings as the run will see them (scenario, then the
  // command line): refused now (a data directory of "/", say), before anything connects.
  const checkedTargets = new Set<string>();
  for (const p of plans) {
    const s = p.loaded.scenario;
    const given = opts.targetName ?? s.target ?? "local";
    const name = /^[a-z]+:\/\//.test(given) ? given.slice(0, given.indexOf(":")) : given;
    const key = `${p.loaded.file}:${name}`;
    if (checkedTargets.has(key)) continue;
    checkedTargets.add(key);
    const schema = TARGETS[name]?.settings;
    if (!schema) continue;
    const fromFile = s.targetSettings?.[name] as Record<string, unknown> | undefined;
    const cli = opts.targetSettings?.[name];
    const parsed = schema.safeParse({ ...fromFile, ...cli });
    if (parsed.success) continue;
    for (const i of parsed.error.issues) {
      const field = i.path.map(String).join(".");
      const onCli = cli && i.path[0] !== undefined && String(i.path[0]) in cli;
      const where =
        onCli || !fromFile
          ? {
              file: onCli ? "(command line)" : p.loaded.file,
              line: 1,
              column: 1,
              path: onCli ? `--target-setting ${name}.${field}` : `targetSettings.${name}.${field} (default)`,
            }
          : {
              file: p.loaded.file,
              ...(p.loaded.locate?.([
                "targetSettings",
                name,
                ...i.path.map((k) => (typeof k === "number" ? k : String(k))),
              ]) ?? { line: 1, column: 1 }),
              path: `targetSettings.${name}.${field}`,
            };
      issues.push({ ...where, message: i.message });
    }
  }
  const seenVars = new Set<string>();
  for (const p of plans) {
    const tool = TOOLS[p.tool];
    const setting = tool?.capabilities.encryption(p.settings).secretSetting;
    const ref = setting ? (p.settings[setting] as { env?: string } | undefined) : undefined;
    const name = ref?.env;
    if (!name || seenVars.has(name)) continue;
    seenVars.add(name);
    const value = env[name];
    if (value && value.length < MIN_PASSPHRASE) {
      issues.push({
        file: "(environment)",
        line: 1,
        column: 1,
        path: name,
        message: `holds ${value.length} character(s): a passphrase needs at least ${MIN_PASSPHRASE} (a shorter one cannot be told apart from other text to redact it); unset it for a random one`,
      });
    }
  }
  // The biggest local dataset must fit: its data, backup and restore side by side, plus a pristine copy.
  let worst: { bytes: number; plan: RunPlan } | null = null;
  const sized = new Map<string, number>();
  for (const p of plans) {
    const s = p.loaded.scenario;
    if ((opts.targetName ?? s.target ?? "local") !== "local") continue;
    const key = s.dataset.copyFrom ?? `${opts.sizeBytes ?? s.dataset.size}`;
    let bytes = sized.get(key);
    if (bytes === undefined) {
      bytes = s.dataset.copyFrom
        ? (
            await localDir(s.dataset.copyFrom)
              .size()
              .catch(() => ({ bytes: 0 }))
          ).bytes
        : (opts.sizeBytes ?? parseSize(s.dataset.size)!);
      sized.set(key, bytes);
    }
    if (!worst || bytes > worst.bytes) worst = { bytes, plan: p };
  }
  if (worst) {
    let at = opts.outDir;
    while (!(await stat(at).catch(() => null)) && dirname(at) !== at) at = dirname(at);
    const fs = await statfs(at);
    const free = fs.bavail * fs.bsize;
    const needed = worst.bytes * (COPIES_PER_RUN + 1);
    if (needed > free) {
      const s = worst.plan.loaded;
      const where =
        opts.sizeBytes !== undefined
          ? { file: "(command line)", line: 1, column: 1, path: "--size" }
          : {
              file: s.file,
              ...(s.locate?.([
                s.scenario.dataset.copyFrom ? "dataset" : "dataset",
                s.scenario.dataset.copyFrom ? "copyFrom" : "size",
              ]) ?? { line: 1, column: 1 }),
              path: s.scenario.dataset.copyFrom ? "dataset.copyFrom" : "dataset.size",
            };
      issues.push({
        ...where,
        message: `${formatBytes(worst.bytes)} of data needs about ${formatBytes(needed)} free in ${opts.outDir} (data, backup, restore and a pristine copy); ${formatBytes(free)} is free`,
      });
    }
  }
  if (issues.length > 0) throw new InputError(issues);
}
