// A restore test's start: the run's view of its source (what the steps ask of it), and the
// repository's points, listed by the tool without writing to it, as the run's restore points.
import { isAbsolute } from "node:path";
import type { SourceView } from "../steps/step.ts";
import type { DrillContext } from "./drill-context.ts";
import type { RunPlan } from "./plan.ts";
import type { ToolPoint } from "../tools/tool.ts";
import type { SiteEndpoint } from "../site/site.ts";

/** The steps' view of the run's source, when its points come from one. */
export function sourceView(plan: RunPlan): SourceView | undefined {
  if (plan.points.kind !== "source") return undefined;
  const { def, name, params } = plan.points;
  const dir = plan.loaded.dir;
  return {
    name,
    inspect: (restored, pointMs) => def.inspect?.(params, restored, pointMs, dir) ?? Promise.resolve(null),
  };
}

/** Where the tool finds the source's repository, when the run has a source. */
export function sourceRepository(plan: RunPlan): string | undefined {
  if (plan.points.kind !== "source") return undefined;
  return plan.points.def.repository(plan.points.params, plan.loaded.dir);
}

/** The source's repository as results and reports show it (a password in its URL masked). */
export function shownRepository(plan: RunPlan): string | undefined {
  if (plan.points.kind !== "source") return undefined;
  const { def, params } = plan.points;
  return def.shownRepository?.(params, plan.loaded.dir) ?? def.repository(params, plan.loaded.dir);
}

/** How the tool reaches the source's repository over SSH, when the source says (its key, pinned host keys). */
export function sourceEndpoint(plan: RunPlan): SiteEndpoint | undefined {
  if (plan.points.kind !== "source") return undefined;
  return plan.points.def.endpoint?.(plan.points.params, plan.loaded.dir);
}

/** The secrets the run's source holds (a password in its repository URL). */
export function sourceSecrets(plan: RunPlan): string[] {
  return plan.points.kind === "source" ? (plan.points.def.secrets?.(plan.points.params) ?? []) : [];
}

/** The source's repository when it is a folder of this machine (not a URL the tool opens itself). */
export function sourceFolder(plan: RunPlan): string | undefined {
  const repo = sourceRepository(plan);
  return repo !== undefined && isAbsolute(repo) ? repo : undefined;
}

/** Lists the repository's points (read only) into the drill's state; a listing that fails is the test failing. */
export async function listSourcePoints(plan: RunPlan, drill: DrillContext): Promise<void> {
  const startedWallMs = Date.now();
  const how = plan.tool.adapter.capabilities.restoreTest;
  let points: ToolPoint[] = [];
  const run = await drill.toolCall("other", async (s) => {
    if (!s.points) throw new Error(`${plan.tool.name} cannot list a repository's points read only`);
    const listed = await s.points();
    points = listed.points;
    return listed.run;
  });
  drill.journal.emit("restore-test", {
    source: plan.points.kind === "source" ? plan.points.name : "backups",
    tool: plan.tool.name,
    repository: shownRepository(plan) ?? "",
    points: points.length,
    newestAt: points.length > 0 ? new Date(points.at(-1)!.timeMs).toISOString() : null,
    startedWallMs,
    readOnly: how?.readOnly ?? "",
    verifies: how?.verifies ?? "",
  });
  if (run.failed) {
    drill.apply({ facts: { toolFailure: `${run.label}: ${run.message ?? `exit ${run.exitCode}`}` } });
    return;
  }
  drill.apply({
    backups: points.map((p) => ({
      wallMs: p.timeMs,
      endWallMs: p.timeMs,
      kind: p.kind ?? "full",
      toolId: p.id,
      label: p.id,
    })),
  });
}
