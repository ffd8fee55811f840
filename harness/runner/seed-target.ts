// Loads the target with the run's data (a clone of the invocation's pristine copy where the target's
// data lives on this machine, a copied tree, or generated), starts its services and checks they are
// healthy before anything is broken.
import { EnvironmentError } from "../model/errors.ts";
import type { SeedResult, StartedTarget } from "../targets/target.ts";
import type { DrillEnv } from "./drill-env.ts";
import { runPhase } from "./phase.ts";
import type { RunPlan } from "./plan.ts";

export async function seedTarget(plan: RunPlan, env: DrillEnv, target: StartedTarget): Promise<SeedResult> {
  const { dataset } = plan.loaded.scenario;
  const io = { journal: env.journal, progress: env.progress, signal: env.signal };
  // The pristine copy (made by the first run that needs it) is seeding too: timed in this phase.
  const seeded = await runPhase(io, "seed", async () => {
    const pristine =
      env.pristine && plan.target.def.dataOnThisMachine ? await env.pristine.get(dataset, plan.sizeBytes) : undefined;
    // The pristine tree's hashes (made once, on first use) are read while the clone is made: the
    // backup's manifest waits for them, and the tree's reads and the clone's writes overlap.
    pristine?.known().catch(() => {});
    return target.seed(
      {
        sizeBytes: plan.sizeBytes,
        seed: dataset.seed,
        ...(dataset.copyFrom ? { copyFrom: dataset.copyFrom } : {}),
        ...(pristine ? { pristine } : {}),
      },
      (b) => env.progress.bytes(b, plan.sizeBytes),
    );
  });
  env.journal.emit("dataset", seeded);
  return seeded;
}

/** The services started, and healthy: a target that is not is the environment's failure, not the tool's. */
export async function healthyBefore(env: DrillEnv, target: StartedTarget): Promise<void> {
  await target.resume();
  const health = await target.health();
  env.journal.emit("health", health);
  if (!health.ok) throw new EnvironmentError(`target not healthy before the drill: ${health.detail}`);
}
