// Stands up a run's target and checks it can drill: what its definition says it provides, its
// started form hands over; the tool's programs are installed there. Cleanup is deferred at once.
import { mkdir } from "node:fs/promises";
import type { CommandExecutor } from "../exec/types.ts";
import { EnvironmentError } from "../model/errors.ts";
import { standbyNode } from "../rules/target-abilities.ts";
import type { StartedTarget, TargetOptions } from "../targets/target.ts";
import type { DisposalStack } from "../util/disposal.ts";
import type { DrillEnv, RunFolders } from "./drill-env.ts";
import { runPhase } from "./phase.ts";
import type { RunPlan } from "./plan.ts";
import { sourceFolder } from "./source-points.ts";

/** Whether the run's tool needs a standby node at site B (the target then prepares for one). */
export const wantsStandby = (plan: RunPlan) => (plan.tool.adapter.needs ?? []).some((a) => a.name === standbyNode.name);

export async function startTarget(
  plan: RunPlan,
  env: DrillEnv,
  folders: RunFolders,
  disposal: DisposalStack,
): Promise<StartedTarget> {
  await mkdir(folders.logDir, { recursive: true });
  const opts: TargetOptions = {
    ...folders,
    journal: env.journal,
    secrets: env.secrets,
    mode: plan.loaded.scenario.mode,
    signal: env.signal,
    keep: env.keep,
    settings: plan.target.settings,
    ...(wantsStandby(plan) ? { standbyWanted: true } : {}),
    ...(plan.target.url ? { url: plan.target.url } : {}),
  };
  const folder = sourceFolder(plan);
  if (folder) opts.sourceFolder = folder;
  if (plan.points.kind === "source") opts.restoreTest = true;
  const io = { journal: env.journal, progress: env.progress, signal: env.signal };
  const target = await runPhase(io, "prepare", () => plan.target.def.start(opts));
  disposal.defer("target", () => target.stop());
  env.journal.emit("target", { name: target.name, info: target.describe() });
  for (const e of env.journal.events(env.journal.run)) if (e.type === "warning") env.progress.warn?.(e.text);
  const broken = (plan.target.def.provides ?? []).filter((a) => !target.abilities?.has(a));
  if (broken.length > 0)
    throw new EnvironmentError(
      `the ${plan.target.name} target declares ${broken.map((a) => a.what).join(", ")}, ` +
        "but its started form does not provide it",
    );
  return target;
}

/** The tool's programs are on the target (else an environment error saying how to install them); its version noted. */
export async function checkTool(plan: RunPlan, exec: CommandExecutor, env: DrillEnv): Promise<void> {
  const tool = plan.tool.adapter;
  const which = await exec.run({
    label: "check-binaries",
    command: "sh",
    args: ["-c", tool.binaries.map((b) => `command -v ${b} >/dev/null || echo ${b}`).join("; ")],
    log: false,
  });
  const missing = which.stdout.trim();
  if (which.notStarted) throw new EnvironmentError(`cannot run commands on ${exec.where}: ${which.message}`);
  if (missing)
    throw new EnvironmentError(
      `${tool.name} needs ${missing.split("\n").join(", ")} on ${exec.where}; install it there: ${tool.install}`,
    );
  env.versions[tool.name] ??= await tool.version(exec).catch(() => "unknown");
}
