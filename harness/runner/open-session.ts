// Opens the run's tool session on the target: where its repository is (the target's folder or
// site B), the standby it replicates to, its timeout (--timeout as given; a scenario's scaled to a
// slow target), its passphrase read from the drill's state at each call, and a lease on each
// process it leaves running on this machine. Closed (and its leases dropped) at cleanup.
import type { CommandExecutor } from "../exec/types.ts";
import type { StartedTarget } from "../targets/target.ts";
import type { ToolSession } from "../tools/tool.ts";
import type { DisposalStack } from "../util/disposal.ts";
import { addLease, dropLease } from "../util/leases.ts";
import type { DrillCore } from "./drill-core.ts";
import type { DrillEnv, RunFolders } from "./drill-env.ts";
import type { RunPlan } from "./plan.ts";
import { sourceEndpoint, sourceFolder, sourceRepository } from "./source-points.ts";
import type { SiteB } from "./start-site.ts";

/** The target's executor, watched: the drill learns of every command it starts (armed faults, progress). */
function watched(inner: CommandExecutor, core: DrillCore): CommandExecutor {
  return {
    where: inner.where,
    run: (spec) =>
      inner.run({
        ...spec,
        onSpawn: (group) => {
          spec.onSpawn?.(group);
          core.onSpawn(group);
        },
      }),
  };
}

export function openSession(
  plan: RunPlan,
  env: DrillEnv,
  folders: RunFolders,
  disposal: DisposalStack,
  on: { target: StartedTarget; siteB: SiteB | null; core: DrillCore },
): ToolSession {
  const { target, siteB, core } = on;
  const leased: string[] = [];
  const standby = siteB?.standby;
  // A restore test's repository over SSH is reached as site B is: the tool's own way, with its key.
  const endpoint = siteB?.endpoint ?? sourceEndpoint(plan);
  const session = plan.tool.adapter.open(plan.tool.settings, {
    exec: watched(target.exec, core),
    // A restore test's repository is the one it names (read only; a folder of this machine where the
    // target shows it); else the run's own, on the target or the site.
    repoDir:
      (sourceFolder(plan) && target.paths.source) ||
      (sourceRepository(plan) ?? (siteB ? siteB.site.repoPath : target.paths.repo)),
    ...(endpoint ? { site: endpoint } : {}),
    ...(standby ? { standby: { exec: standby.exec, primaryHost: standby.primaryHost, dataDir: standby.dataDir } } : {}),
    addSecret: (v: string) => env.secrets.add(v),
    workDir: target.paths.tool,
    scenarioDir: plan.loaded.dir,
    putFile: (name, content, mode) => target.putToolFile(name, content, mode),
    passphrase: () => core.passphrase(),
    timeoutMs: plan.timeout.ms * (plan.timeout.scalesWithTarget ? (target.timeScale ?? 1) : 1),
    onProgress: (p) => p.bytes !== undefined && env.progress.bytes(p.bytes, p.totalBytes),
    ...(target.exec.where === "local"
      ? {
          leaseProcess: (pid: number, match: string, what: string) => {
            leased.push(String(pid));
            return addLease(folders.runName, { kind: "process-group", id: String(pid), match, what });
          },
        }
      : {}),
  });
  disposal.defer("tool session", async () => {
    await session.close?.();
    for (const id of leased) await dropLease(folders.runName, { kind: "process-group", id });
  });
  return session;
}
