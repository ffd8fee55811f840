// Stands up site B when the backups go to one: the site with its store, the target given its key and
// the site's host key, and the standby node a replicator that needs one keeps at the site.
import { join } from "node:path";
import { EnvironmentError } from "../model/errors.ts";
import { AbilitySet } from "../rules/ability.ts";
import { standbyNode } from "../rules/target-abilities.ts";
import type { SiteEndpoint, StartedSite } from "../site/site.ts";
import type { Standby, StartedTarget } from "../targets/target.ts";
import type { DisposalStack } from "../util/disposal.ts";
import type { DrillEnv, RunFolders } from "./drill-env.ts";
import { runPhase } from "./phase.ts";
import type { RunPlan } from "./plan.ts";
import { wantsStandby } from "./start-target.ts";

export interface SiteB {
  site: StartedSite;
  /** How the target's tools reach it. */
  endpoint: SiteEndpoint;
  standby: Standby | null;
}

export async function startSiteB(
  plan: RunPlan,
  env: DrillEnv,
  folders: RunFolders,
  disposal: DisposalStack,
  target: StartedTarget,
): Promise<SiteB | null> {
  if (!plan.site || !plan.store) return null;
  const { site: spec, store } = plan;
  const io = { journal: env.journal, progress: env.progress, signal: env.signal };
  const standbyWanted = wantsStandby(plan);
  const site = await runPhase(
    io,
    "prepare",
    () =>
      store.start(spec, {
        runDir: join(folders.workDir, "site"),
        runName: folders.runName,
        logDir: folders.logDir,
        secrets: env.secrets,
        sharedDisk: standbyWanted,
      }),
    "secondary site",
  );
  disposal.defer("secondary site", () => site.stop({ keep: env.keep }));
  const broken = (store.provides ?? []).filter((a) => !site.abilities?.has(a));
  if (broken.length > 0)
    throw new EnvironmentError(
      `the ${store.name} store declares ${broken.map((a) => a.what).join(", ")}, ` +
        "but its started site does not provide it",
    );
  env.journal.emit("site", { info: site.describe() });
  target.attachSite?.(site);
  const cred = await site.credentials();
  const endpoint = site.endpoint({
    identityFile: await target.putToolFile("site-key", cred.privateKey, 0o600),
    knownHostsFile: await target.putToolFile("site-known-hosts", cred.knownHosts, 0o644),
  });
  if (!standbyWanted) return { site, endpoint, standby: null };
  // The tool's need of a standby node was checked against the target before the run.
  const start = (target.abilities ?? new AbilitySet()).need(standbyNode);
  const standby = await runPhase(io, "prepare", () => start(site), "standby node at site B");
  disposal.defer("standby node", () => standby.stop());
  env.journal.emit("standby", { info: standby.describe() });
  return { site, endpoint, standby };
}
