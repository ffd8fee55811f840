// Stands up a drill and returns it started, in order: the target (and the tool's programs on it),
// site B and its standby when the backups go there, the tool's session, the seeded data, a healthy
// target, every path the faults will touch, and the tool's repository. Each thing stood up is put
// on the drill's disposal stack at once, so cleanup runs whatever happens next.
import { join } from "node:path";
import { LocalExecutor } from "../exec/local-executor.ts";
import { EnvironmentError } from "../model/errors.ts";
import { AbilitySet } from "../rules/ability.ts";
import { siteAbilities } from "../rules/site-abilities.ts";
import { initialState } from "../steps/state.ts";
import type { DisposalStack } from "../util/disposal.ts";
import { DrillContext } from "./drill-context.ts";
import { DrillCore } from "./drill-core.ts";
import type { DrillEnv, RunFolders } from "./drill-env.ts";
import { openSession } from "./open-session.ts";
import type { RunPlan } from "./plan.ts";
import { preflightFaults } from "./preflight-faults.ts";
import { healthyBefore, seedTarget } from "./seed-target.ts";
import { listSourcePoints, sourceView } from "./source-points.ts";
import { startSiteB } from "./start-site.ts";
import { checkTool, startTarget } from "./start-target.ts";
import { ToolCallLog } from "./tool-call-log.ts";

export type { RunFolders };

/** The drill's state before its first step: the passphrase in force, and whether services must come back. */
function firstState(plan: RunPlan, env: DrillEnv) {
  const { adapter, settings } = plan.tool;
  const secretSetting = adapter.capabilities.encryption(settings).secretSetting ?? "passphrase";
  const passphrase = env.secrets.resolve(settings[secretSetting] as { env: string } | undefined);
  const steps = plan.loaded.registries.steps;
  const servicesRequired = plan.loaded.scenario.steps.some((st) =>
    Object.entries(st).some(([kind, params]) => steps[kind]?.requiresServices?.(params)),
  );
  return initialState(passphrase, servicesRequired);
}

export async function standUp(
  plan: RunPlan,
  env: DrillEnv,
  folders: RunFolders,
  disposal: DisposalStack,
): Promise<DrillContext> {
  const s = plan.loaded.scenario;
  const target = await startTarget(plan, env, folders, disposal);
  await checkTool(plan, target.exec, env);
  const siteB = await startSiteB(plan, env, folders, disposal, target);
  const core = new DrillCore(firstState(plan, env));
  const source = sourceView(plan);
  disposal.defer("armed faults", () => core.armed.disposeAll());
  const session = openSession(plan, env, folders, disposal, { target, siteB, core });
  const calls = new ToolCallLog(env.journal, env.outDir);
  const drill = new DrillContext(
    {
      plan: {
        scenario: s.name,
        mode: s.mode,
        seed: s.dataset.seed,
        require: s.require,
        repeat: plan.repeat,
        ...(plan.intervalMs ? { intervalMs: plan.intervalMs } : {}),
        ...(plan.bandwidthBps ? { bandwidthBps: plan.bandwidthBps } : {}),
        toolName: plan.tool.name,
        scenarioDir: plan.loaded.dir,
        timeoutMs: plan.timeout.ms * (plan.timeout.scalesWithTarget ? (target.timeScale ?? 1) : 1),
        tool: plan.tool.adapter,
        settings: plan.tool.settings,
        ...(source ? { source } : {}),
      },
      target,
      site: siteB?.site ?? null,
      standby: siteB?.standby ?? null,
      session,
      abilities: (target.abilities ?? new AbilitySet()).join(siteB ? siteAbilities(siteB.site) : undefined),
      local: {
        exec: new LocalExecutor(folders.logDir, env.secrets, { leaseRun: folders.runName }),
        dir: join(folders.workDir, "local"),
      },
      steps: plan.loaded.registries.steps,
      journal: env.journal,
      calls,
      progress: env.progress,
      signal: env.signal,
    },
    core,
  );
  // A restore test seeds nothing, starts no services and makes no repository: it lists the one it reads.
  if (source) {
    await listSourcePoints(plan, drill);
    return drill;
  }
  const seeded = await seedTarget(plan, env, target);
  drill.apply({ seededBytes: seeded.bytes });
  await healthyBefore(env, target);
  await preflightFaults(plan, target);
  const init = await session.init();
  if (init) {
    calls.record("init", init);
    if (init.failed) throw new EnvironmentError(`${init.label} failed: ${init.message ?? `exit ${init.exitCode}`}`);
  }
  // A write-once site is sealed once the repository exists: making it is the operator's setup (restic's
  // init makes a folder and then changes its mode, which a folder already handed to root refuses).
  const how = plan.tool.adapter.capabilities.site;
  if (siteB && plan.site?.appendOnly && "appendOnly" in how && how.appendOnly === "write-once")
    await siteB.site.sealArrivals();
  return drill;
}
