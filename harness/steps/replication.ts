// Replication in a drill: its lag sampled while it runs (the newest load-writer record on the
// primary against the newest on the replica at site B: the figure replication products call
// "RPO"), and the failover that stands in for a restore: stop replicating, check the replica
// against the state before the disaster, and start the services at site B.
import { readLoadRecords } from "../util/load-records.ts";
import { writerServices } from "../ssh/remote-services.ts";
import { compareManifests } from "../verify/compare-manifests.ts";
import { emptyManifest, withoutPaths } from "../verify/manifest-ops.ts";
import type { StepContext, StepResult } from "./step.ts";
import { mergeChanges, type StateChanges } from "./state.ts";

const LAG_EVERY_MS = 1000;
const LOAD_FILE = "lib/mysql/drdrill-load.jsonl";

async function newestOnReplica(ctx: StepContext): Promise<number | null> {
  // A standby node holds the records in its replicated database; a file replica, in the writer's file.
  if (ctx.standby) return (await ctx.standby.loadNewest().catch(() => null))?.newestWallMs ?? null;
  const text = (await ctx.repo.read(LOAD_FILE).catch(() => null))?.toString("utf8") ?? "";
  return readLoadRecords(text).records.at(-1)?.wallMs ?? null;
}

/** Starts sampling the replica's lag every second until the failover (or the end of the run). */
export function startLagSampling(ctx: StepContext): void {
  if (ctx.armed.background.has("replication-lag")) return;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void (async () => {
      const [primary, replica] = await Promise.all([ctx.target.loadNewest().catch(() => null), newestOnReplica(ctx)]);
      if (primary?.newestWallMs && replica !== null)
        ctx.journal.emit("replication-lag", { lagMs: Math.max(0, primary.newestWallMs - replica) });
    })().finally(() => (busy = false));
  }, LAG_EVERY_MS);
  ctx.armed.background.set("replication-lag", async () => clearInterval(timer));
}

/** The failover: what a restore is for a replicator. */
export async function failover(ctx: StepContext): Promise<StepResult> {
  const site = ctx.site!;
  const changes: StateChanges[] = [];
  await ctx.armed.stopBackground("replication-lag");
  // The primary's services are down (the disaster, or the procedure stops what is left).
  if (ctx.target.servicesRunning()) await ctx.phase("quiesce", () => ctx.target.quiesce());
  const run = await ctx.phase(
    "restore",
    () => ctx.toolCall("restore", async (s) => s.stopReplication!(), { failover: true }),
    "fail over to site B",
  );
  changes.push({ facts: { restoreRan: true, restoreSucceeded: !run.failed } });
  const expected = ctx.state.backups.at(-1)?.manifest;
  if (expected) {
    const excludes = [...ctx.target.manifestExcludes, ...(ctx.plan.tool.capabilities.replication?.filesExcluded ?? [])];
    const replica = await ctx.phase("inspect", () =>
      ctx.repo.manifest({ exclude: excludes }).catch(() => emptyManifest(site.repoPath)),
    );
    const v = compareManifests(
      withoutPaths(expected, excludes),
      withoutPaths(replica, excludes),
      ctx.plan.tool.fidelity,
      ctx.plan.require,
    );
    ctx.journal.emit("verification", {
      filesChecked: v.filesChecked,
      mismatches: v.mismatchCount,
      fidelity: v.fidelity,
    });
    changes.push({
      verification: v,
      facts: { contentOk: v.contentOk, contentMismatches: v.mismatchCount, requiredOk: v.requiredOk },
    });
    if (!v.contentOk) {
      const kinds = [...new Set(v.mismatches.map((m) => m.kind))].join(", ");
      changes.push({
        facts: {
          replicatedDamage:
            `the replica at site B holds the damage too: ${v.mismatchCount} entries differ from the state before ` +
            `the disaster (${kinds}): replication copied the fault faithfully`,
        },
      });
    }
  } else {
    changes.push({ facts: { toolFailure: "replication never started: nothing to fail over to" } });
  }
  const survivor = ctx.standby
    ? await ctx.standby.loadNewest().catch(() => ({ newestWallMs: null, newestSeq: null }))
    : ((r) => ({ newestWallMs: r?.wallMs ?? null, newestSeq: r?.seq ?? null }))(
        readLoadRecords((await ctx.repo.read(LOAD_FILE).catch(() => null))?.toString("utf8") ?? "").records.at(-1),
      );
  ctx.journal.emit("load-survivor", survivor);
  if (run.failed || !expected) return { ok: false, changes: mergeChanges(...changes) };
  // Promote site B: its copy is the data now, and the services start there; health is checked there.
  // A standby node (the lab) runs MicroStack itself; a plain replica gets drdrill's load writer.
  const services = ctx.standby ?? writerServices(site.admin, ctx.repo);
  if (!ctx.standby) ctx.armed.background.set("services at site B", () => services.stop());
  ctx.armed.promoted = services;
  await ctx.phase("resume", () => services.resume(), "services at site B");
  const health = await services.health();
  ctx.journal.emit("health", { ...health, detail: `at site B: ${health.detail}` });
  if (health.ok) ctx.journal.emit("services-up", {});
  changes.push({ facts: { healthOk: health.ok, healthDetail: `at site B: ${health.detail}` } });
  return { ok: health.ok, changes: mergeChanges(...changes) };
}
